package io.optledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.model.ConsentModel.Asked;
import io.optledger.model.ConsentModel.Key;
import io.optledger.model.Op.Ch;
import io.optledger.model.Op.Who;
import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Runs steps against the service over HTTP, for one person in a fresh workspace, and reduces each answer to the
 * observation string the model predicts. Times it chooses are exact; each request's receipt is bounded by the clock
 * read just before it is sent and just after it is answered.
 */
final class ServiceDriver {

    static final String EMAIL = "ada@example.com";
    static final String PHONE = "+19148440001";

    private final ApiClient api;
    private final TestWorkspace workspace;
    private final long contact;
    private final long other;
    private final String textUnit;
    private final String emailUnit;
    private final String capillaryAuthorization;

    /** The receipt interval of the last request. */
    private Time receipt = Time.NEVER_ASKED;

    ServiceDriver(ApiClient api) {
        this.api = api;
        this.workspace = TestWorkspace.create(api);
        topic("marketing", "MARKETING", false, List.of("SMS"));
        topic("news", "MARKETING", true, List.of());
        topic("transactional", "TRANSACTIONAL", true, List.of());
        topic("capillary.bulk", "MARKETING", false, List.of());
        this.textUnit = unit("TEXT");
        this.emailUnit = unit("EMAIL");
        this.contact = workspace.contact(EMAIL, PHONE);
        this.other = workspace.contact("bob@example.com", "+19148440002");
        this.capillaryAuthorization = "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((keyId() + ":" + workspace.adminKey()).getBytes(StandardCharsets.UTF_8));
    }

    static String address(Ch channel) {
        return channel == Ch.EMAIL ? EMAIL : PHONE;
    }

    Time receipt() {
        return receipt;
    }

    // ---- steps

    /** A change as sent: what it answered, and the times the driver chose for it (null: none sent). */
    record ChangeSent(
            String observed,
            @Nullable Time occurred,
            @Nullable Long until) {}

    ChangeSent change(Op.Change op, long virtualClock) {
        long sendAt = System.currentTimeMillis();
        Long occurred = switch (op.when()) {
            case VIRTUAL -> Math.min(virtualClock, sendAt + 180_000);
            case BACKDATED -> Math.min(virtualClock, sendAt + 180_000) - 30_000;
            case RECEIPT -> null;
            case AHEAD -> sendAt + 120_000;
            case TOO_FAR_AHEAD -> sendAt + 600_000;
        };
        Long until = op.action() != Op.Act.SUSPEND
                ? null
                : switch (op.until()) {
                    case NONE -> null;
                    case SHORT -> sendAt + 2_500;
                    case HOUR -> sendAt + 3_600_000;
                };
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("contactId", contactOf(op.who()));
        item.put("channel", op.channel().name());
        item.put("address", address(op.channel()));
        item.put("topic", op.topic());
        item.put("action", op.action().name());
        if (occurred != null) {
            item.put("occurredAt", Instant.ofEpochMilli(occurred).toString());
        }
        if (until != null) {
            item.put("suspendedUntil", Instant.ofEpochMilli(until).toString());
        }
        ApiClient.Response response = timed(() -> api.post(
                "/v1/subscriptions/changes", workspace.adminKey(), ApiClient.json(Map.of("items", List.of(item)))));
        Time chosen = occurred == null ? null : Time.exact(occurred);
        if (response.status() != 200) {
            return new ChangeSent(Integer.toString(response.status()), chosen, until);
        }
        JsonNode result = response.json().get("results").get(0);
        String outcome = result.get("outcome").asString();
        return new ChangeSent(
                "200 " + outcome
                        + (outcome.equals("rejected")
                                ? " " + result.get("reason").asString()
                                : ""),
                chosen,
                until);
    }

    String attentiveSubscribe(Op.AttentiveSubscribe op) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", op.channel() == Ch.SMS ? Map.of("phone", PHONE) : Map.of("email", EMAIL));
        body.put("signUpSourceId", op.channel() == Ch.SMS ? textUnit : emailUnit);
        body.put("singleOptIn", op.singleOptIn());
        ApiClient.Response response =
                timed(() -> api.post("/attentive/v1/subscriptions", workspace.adminKey(), ApiClient.json(body)));
        if (response.status() != 202) {
            return Integer.toString(response.status());
        }
        return "202 "
                + response.json()
                        .get("subscriptionResponses")
                        .get(0)
                        .get("subscriptionCreationStatus")
                        .asString();
    }

    String attentiveUnsubscribe(Op.AttentiveUnsubscribe op) {
        Map<String, Object> user = new LinkedHashMap<>();
        List<Map<String, String>> listed = new ArrayList<>();
        if (op.phone()) {
            user.put("phone", PHONE);
        }
        if (op.email()) {
            user.put("email", EMAIL);
        }
        List<String> channels = new ArrayList<>();
        if (op.phone()) {
            channels.add("TEXT");
        }
        if (op.email()) {
            channels.add("EMAIL");
        }
        for (String channel : channels) {
            listed.add(Map.of("type", "MARKETING", "channel", channel));
            if (op.transactional()) {
                listed.add(Map.of("type", "TRANSACTIONAL", "channel", channel));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        if (op.listed()) {
            body.put("subscriptions", listed);
        }
        body.put("notification", Map.of("disabled", true));
        ApiClient.Response response = timed(
                () -> api.post("/attentive/v1/subscriptions/unsubscribe", workspace.adminKey(), ApiClient.json(body)));
        if (response.status() != 202) {
            return Integer.toString(response.status());
        }
        TreeMap<String, String> statuses = new TreeMap<>();
        for (JsonNode status : response.json().get("subscriptionResponses")) {
            JsonNode subscription = status.get("subscription");
            statuses.put(
                    subscription.get("type").asString() + "/"
                            + subscription.get("channel").asString(),
                    status.get("subscriptionUnsubscribeStatus").asString());
        }
        return "202 " + statuses;
    }

    String capillary(Op.Capillary op) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put(op.channel() == Ch.SMS ? "mobile" : "email", address(op.channel()));
        item.put("priority", "BULK");
        item.put("scope", "all");
        item.put("channel", op.channel() == Ch.SMS ? "sms" : "email");
        item.put("is_subscribed", op.subscribe() ? "1" : "0");
        ApiClient.Response response = timed(() -> api.send(
                "POST",
                "/capillary/v1.1/customer/subscriptions?format=json",
                Map.of("Authorization", capillaryAuthorization, "Content-Type", "application/json"),
                ApiClient.json(Map.of("root", Map.of("subscription", List.of(item))))));
        JsonNode items = response.json().path("response").path("subscriptions").path("subscription");
        JsonNode first = items.isArray() ? items.get(0) : items;
        return response.status() + " " + first.path("item_status").path("code").asInt();
    }

    String text(Op.Text op) {
        ApiClient.Response response = timed(() -> api.post(
                "/v1/inbound/sms",
                workspace.adminKey(),
                ApiClient.json(Map.of("from", PHONE, "to", "+19148449999", "body", op.body()))));
        if (response.status() != 200) {
            return Integer.toString(response.status());
        }
        JsonNode handled = response.json();
        return "200 " + handled.get("action").asString() + " "
                + handled.get("changed").asInt();
    }

    String suppress(Op.Suppress op) {
        ApiClient.Response response = timed(() -> api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "channel", op.channel().name(), "address", address(op.channel()), "reason", op.reason()))));
        return Integer.toString(response.status());
    }

    String lift(Op.Lift op) {
        ApiClient.Response response = timed(() -> api.delete(
                "/v1/suppressions?channel=" + op.channel() + "&address="
                        + URLEncoder.encode(address(op.channel()), StandardCharsets.UTF_8),
                workspace.adminKey()));
        return Integer.toString(response.status());
    }

    String patchTopic(Op.PatchTopic op) {
        ApiClient.Response response = timed(() -> api.patch(
                "/v1/topics/" + op.topic(), workspace.adminKey(), ApiClient.json(Map.of(op.field(), op.value()))));
        return Integer.toString(response.status());
    }

    // ---- reading back

    /** Eligibility of every address × topic, in one batch call; sets {@link #receipt()} to when it was answered. */
    Map<Asked, Boolean> eligibility(List<Asked> keys) {
        List<Map<String, Object>> lookups = new ArrayList<>();
        for (Asked key : keys) {
            lookups.add(
                    Map.of("channel", key.channel().name(), "topic", key.topic(), "address", address(key.channel())));
        }
        ApiClient.Response response = timed(() ->
                api.post("/v1/eligibility/batch", workspace.adminKey(), ApiClient.json(Map.of("lookups", lookups))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Map<Asked, Boolean> answers = new LinkedHashMap<>();
        JsonNode results = response.json().get("results");
        for (int i = 0; i < keys.size(); i++) {
            answers.put(
                    keys.get(i),
                    results.get(i).get("eligibility").get("eligible").asBoolean());
        }
        return answers;
    }

    /** The ledger's verification of the person's chain. */
    JsonNode verify(Who who) {
        return workspace.verify(contactOf(who));
    }

    /** The verification of the workspace ledger (suppressions, topic changes). */
    JsonNode verifyWorkspaceLedger() {
        ApiClient.Response response = api.get("/v1/ledger/workspace-events/verify", workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private long contactOf(Who who) {
        return who == Who.A ? contact : other;
    }

    /** The state each subscription's applied events lead to, replayed from the ledger, oldest first. */
    Map<Key, String> replayedStates(Who who) {
        Map<Key, String> states = new LinkedHashMap<>();
        for (JsonNode event : workspace.events(contactOf(who))) {
            String outcome = event.get("outcome").asString();
            if (!List.of("CREATED", "CHANGED", "UNCHANGED").contains(outcome)) {
                continue;
            }
            states.put(
                    key(who, event),
                    state(
                            event.get("to").asString(),
                            event.get("suspendedUntil"),
                            event.get("action").asString().equals("DELETE")));
        }
        return states;
    }

    /** The subscriptions as the API lists them now. */
    Map<Key, String> currentStates(Who who) {
        ApiClient.Response response =
                api.get("/v1/contacts/" + contactOf(who) + "/subscriptions", workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Map<Key, String> states = new LinkedHashMap<>();
        for (JsonNode s : response.json().get("subscriptions")) {
            states.put(
                    key(who, s),
                    state(
                            s.get("status").asString(),
                            s.get("suspendedUntil"),
                            s.get("deleted").asBoolean()));
        }
        return states;
    }

    private static Key key(Who who, JsonNode node) {
        return new Key(
                who,
                Ch.valueOf(node.get("channel").asString()),
                node.get("topic").asString());
    }

    private static String state(String status, @Nullable JsonNode until, boolean deleted) {
        Long millis = until == null || until.isNull()
                ? null
                : Instant.parse(until.asString()).toEpochMilli();
        return status + " " + millis + " " + deleted;
    }

    /**
     * Sends, retrying after a rate limit's Retry-After (rate limits are not what this test is about). */
    private ApiClient.Response timed(Supplier<ApiClient.Response> request) {
        while (true) {
            // a new millisecond for every request, so that no two receipt intervals share one
            while (System.currentTimeMillis() <= receipt.hi()) {
                Thread.onSpinWait();
            }
            long lo = System.currentTimeMillis();
            ApiClient.Response response = request.get();
            long hi = System.currentTimeMillis();
            receipt = new Time(lo, hi);
            if (response.status() != 429) {
                return response;
            }
            sleep(1_000);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void topic(String key, String kind, boolean defaultOptIn, List<String> doubleOptIn) {
        ApiClient.Response response = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "key",
                        key,
                        "name",
                        key,
                        "kind",
                        kind,
                        "defaultOptIn",
                        defaultOptIn,
                        "doubleOptIn",
                        doubleOptIn)));
        if (response.status() == 409) {
            // a new workspace starts with marketing and transactional: give them the policy under test
            response = api.patch(
                    "/v1/topics/" + key,
                    workspace.adminKey(),
                    ApiClient.json(
                            Map.of("defaultOptIn", defaultOptIn, "mandatory", false, "doubleOptIn", doubleOptIn)));
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            return;
        }
        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    private String keyId() {
        ApiClient.Response keys = api.get("/v1/api-keys", workspace.adminKey());
        assertThat(keys.status()).as(keys.text()).isEqualTo(200);
        return keys.json().get("keys").get(0).get("id").asString();
    }

    private String unit(String channel) {
        ApiClient.Response response = api.post(
                "/v1/sign-up-units",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "name",
                        "marketing " + channel,
                        "channel",
                        channel,
                        "subscriptionType",
                        "MARKETING",
                        "locale",
                        Map.of("language", "en", "country", "US"),
                        "singleOptInAllowed",
                        true,
                        "disclosure",
                        "By signing up you agree to receive recurring automated messages.")));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asString();
    }
}
