package io.optledger.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The requests the scenarios send, and how the native write API's answers are read. */
final class Scenarios {

    static final String KEY = "olk_bench_key_0123456789abcdef";
    static final int BATCH = 100;

    private static final String CAPILLARY_AUTHORIZATION =
            "Basic " + Base64.getEncoder().encodeToString(("bench:" + md5Hex(KEY)).getBytes(StandardCharsets.UTF_8));
    private static final byte[] SUMMARY = "\"summary\":{".getBytes(StandardCharsets.US_ASCII);

    /** Emails no contact has: this run's own prefix and a counter. */
    private static final String SIGN_UP_PREFIX = "s" + Long.toString(System.currentTimeMillis(), 36) + "-";

    private static final AtomicLong SIGN_UPS = new AtomicLong();

    /** The Attentive sign-up unit the seed creates. */
    static volatile String signUpUnit = "";

    private Scenarios() {}

    static String email(long contact) {
        return "c" + contact + "@bench.example";
    }

    static String phone(long contact) {
        return "+1415" + (2000000 + contact);
    }

    static byte[] eligibilityGet(ThreadLocalRandom random, int contacts) {
        return HttpConnection.get(
                "/v1/eligibility?channel=EMAIL&topic=marketing&email=c" + (1 + random.nextInt(contacts))
                        + "%40bench.example",
                KEY);
    }

    static byte[] eligibilityBatch(ThreadLocalRandom random, int contacts) {
        StringBuilder json = new StringBuilder(BATCH * 80).append("{\"lookups\":[");
        for (int i = 0; i < BATCH; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"email\":\"")
                    .append(email(1 + random.nextInt(contacts)))
                    .append("\"}");
        }
        return HttpConnection.post(
                "/v1/eligibility/batch", KEY, json.append("]}").toString());
    }

    /** {@code count} random opt-ins and opt-outs of known contacts, by id. */
    static byte[] changes(ThreadLocalRandom random, int contacts, int count) {
        StringBuilder json = new StringBuilder(count * 90).append("{\"items\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append(change(1 + random.nextInt(contacts), random.nextBoolean()));
        }
        return HttpConnection.post(
                "/v1/subscriptions/changes", KEY, json.append("]}").toString());
    }

    static String change(long contact, boolean optIn) {
        return "{\"contactId\":" + contact + ",\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"action\":\""
                + (optIn ? "OPT_IN" : "OPT_OUT") + "\"}";
    }

    /**
     * The one-call sign-up: an opt-in naming an email no contact has, which the service creates the contact for
     * (unless the request says {@code "createContacts": false}). A service without it rejects the item:
     * {@code contact_not_found}, counted as an error.
     */
    static byte[] signUp(ThreadLocalRandom random) {
        return HttpConnection.post(
                "/v1/subscriptions/changes",
                KEY,
                "{\"items\":[{\"email\":\"" + SIGN_UP_PREFIX + SIGN_UPS.incrementAndGet()
                        + "@signup.bench.example\",\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"action\":\"OPT_IN\","
                        + "\"source\":\"bench-signup\"}]}");
    }

    /** One opt-in or opt-out through Altcraft's subscriptions/set: the profile by id, its database and resource checked. */
    static byte[] altcraftSet(ThreadLocalRandom random, int contacts) {
        long contact = 1 + random.nextInt(contacts);
        return HttpConnection.post(
                "/altcraft/api/v1.1/subscriptions/set",
                KEY,
                "{\"token\":\"" + KEY + "\",\"db_id\":1,\"profile_id\":\"" + contact
                        + "\",\"resource_id\":1,\"channel\":\"email\",\"email\":\"" + email(contact)
                        + "\",\"status\":\"" + (random.nextBoolean() ? "subscribed" : "unsubscribed") + "\"}");
    }

    /** A single opt-in by text through Attentive: the person found by phone, the sign-up unit named. */
    static byte[] attentiveSubscribe(ThreadLocalRandom random, int contacts) {
        return HttpConnection.post(
                "/attentive/v1/subscriptions",
                KEY,
                "{\"user\":{\"phone\":\"" + phone(1 + random.nextInt(contacts)) + "\"},\"signUpSourceId\":\""
                        + signUpUnit + "\",\"singleOptIn\":true}");
    }

    /** The same work as {@link #changes} through the Capillary dialect: customers by email, Basic with md5(key). */
    static byte[] capillaryChanges(ThreadLocalRandom random, int contacts, int count) {
        StringBuilder json = new StringBuilder(count * 110).append("{\"root\":{\"subscription\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"email\":\"")
                    .append(email(1 + random.nextInt(contacts)))
                    .append("\",\"channel\":\"email\",\"priority\":\"BULK\",\"scope\":\"all\",\"is_subscribed\":\"")
                    .append(random.nextBoolean() ? "1" : "0")
                    .append("\"}");
        }
        return HttpConnection.postAuthorized(
                "/capillary/v1.1/customer/subscriptions?format=json",
                CAPILLARY_AUTHORIZATION,
                json.append("]}}").toString());
    }

    /** The outcome counts of a native change call's answer: {@code summary} of {@code ChangeResponse}. */
    record Summary(int created, int changed, int unchanged, int stale, int rejected) {

        /** The changes that wrote an outbox row, each one webhook event. */
        int events() {
            return created + changed;
        }

        static Summary of(byte[] body) {
            int at = indexOf(body, SUMMARY);
            if (at < 0) {
                return null;
            }
            int end = at;
            while (end < body.length && body[end] != '}') {
                end++;
            }
            String text = new String(body, at, end - at, StandardCharsets.US_ASCII);
            return new Summary(
                    count(text, "created"),
                    count(text, "changed"),
                    count(text, "unchanged"),
                    count(text, "stale"),
                    count(text, "rejected"));
        }

        private static int count(String summary, String outcome) {
            int at = summary.indexOf("\"" + outcome + "\":");
            if (at < 0) {
                return 0;
            }
            int from = at + outcome.length() + 3;
            int to = from;
            while (to < summary.length() && Character.isDigit(summary.charAt(to))) {
                to++;
            }
            return Integer.parseInt(summary.substring(from, to));
        }
    }

    /** A native change call failed if its status is an error or any of its items was rejected. */
    static final Load.Check CHANGES = response -> {
        if (response.status() >= 300) {
            return Load.Check.describe(response);
        }
        Summary summary = Summary.of(response.body());
        return summary == null || summary.rejected() > 0 ? Load.Check.describe(response) : null;
    };

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String md5Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
