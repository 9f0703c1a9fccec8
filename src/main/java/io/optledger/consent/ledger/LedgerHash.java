package io.optledger.consent.ledger;

import io.optledger.platform.CanonicalLines;
import io.optledger.platform.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * The canonical forms of a ledger event, their chain hash and the commitments of form 2. The forms are documented in
 * {@code docs/ledger.md}: changing one breaks every existing chain, so each is versioned by its first line and this
 * class reads every version ever written. Used as is by the offline verifier: it must need nothing but the JDK.
 */
public final class LedgerHash {

    /** The previous hash of a contact's first event. */
    public static final String GENESIS = "0".repeat(64);

    /** The form new events are written in. */
    public static final int CURRENT_FORM = 2;

    private static final HexFormat HEX = HexFormat.of();

    private LedgerHash() {}

    /** SHA-256 over the canonical form of the event with {@code prevHash}; the event's own hash is not an input. */
    public static String of(ConsentEvent event) {
        return HEX.formatHex(Hashing.sha256(canonical(event)));
    }

    /** The event's canonical form in the version it was written in. */
    public static String canonical(ConsentEvent e) {
        return e.form() == 1 ? v1(e) : v2(e);
    }

    /**
     * The personal fields of an event that have a value, by line name in canonical order: the address, the reason, the
     * IP, the user agent and each detail (keys ascending). Form 2 hashes their commitments instead of them.
     */
    public static Map<String, String> personal(ConsentEvent e) {
        Map<String, String> fields = new LinkedHashMap<>();
        putIfPresent(fields, "address", e.address());
        putIfPresent(fields, "reason", e.reason());
        putIfPresent(fields, "ip", e.ip());
        putIfPresent(fields, "userAgent", e.userAgent());
        new TreeMap<>(e.details()).forEach((key, value) -> fields.put("details." + key, value));
        return fields;
    }

    /** The commitment of each personal field: lowercase hex HMAC-SHA256 under the contact's key of {@code name=value}. */
    public static Map<String, String> commitments(byte[] key, ConsentEvent e) {
        Map<String, String> personal = personal(e);
        Map<String, String> commitments = new LinkedHashMap<>();
        if (personal.isEmpty()) {
            return commitments;
        }
        // the key is set up once for all the event's fields
        Mac mac = Hashing.hmacSha256(key);
        personal.forEach((name, value) -> commitments.put(name, commit(mac, name, value)));
        return commitments;
    }

    public static String commit(byte[] key, String name, String value) {
        return commit(Hashing.hmacSha256(key), name, value);
    }

    /** HMAC-SHA256 (RFC 2104) of the UTF-8 bytes of {@code name=value}; doFinal leaves the MAC keyed for the next. */
    private static String commit(Mac mac, String name, String value) {
        return HEX.formatHex(mac.doFinal((name + "=" + value).getBytes(StandardCharsets.UTF_8)));
    }

    /** The first personal field of a form 2 event that does not open its commitment under {@code key}, or null. */
    public static @Nullable String unopened(byte[] key, ConsentEvent e) {
        Map<String, String> expected = commitments(key, e);
        for (String name : union(expected, e.commitments())) {
            if (!Objects.equals(expected.get(name), e.commitments().get(name))) {
                return name;
            }
        }
        return null;
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        return names;
    }

    private static String v1(ConsentEvent e) {
        CanonicalLines out =
                head("optledger-ledger-v1", e).line("address", e.address()).line("topic", e.topic());
        body(out, e).line("reason", e.reason());
        ids(out, e).line("ip", e.ip()).line("userAgent", e.userAgent());
        out.line("apiKeyId", e.apiKeyId()).line("requestId", e.requestId());
        for (Map.Entry<String, String> detail : new TreeMap<>(e.details()).entrySet()) {
            out.line("details." + detail.getKey(), detail.getValue());
        }
        return out.line("prev", e.prevHash()).toString();
    }

    private static String v2(ConsentEvent e) {
        Map<String, String> c = e.commitments();
        CanonicalLines out =
                head("optledger-ledger-v2", e).line("address", c.get("address")).line("topic", e.topic());
        body(out, e).line("reason", c.get("reason"));
        ids(out, e).line("ip", c.get("ip")).line("userAgent", c.get("userAgent"));
        out.line("apiKeyId", e.apiKeyId()).line("requestId", e.requestId());
        for (Map.Entry<String, String> commitment : new TreeMap<>(c).entrySet()) {
            if (commitment.getKey().startsWith("details.")) {
                out.line(commitment.getKey(), commitment.getValue());
            }
        }
        return out.line("prev", e.prevHash()).toString();
    }

    private static CanonicalLines head(String version, ConsentEvent e) {
        return new CanonicalLines(version)
                .line("workspace", Long.toString(e.workspaceId()))
                .line("contact", Long.toString(e.contactId()))
                .line("seq", Long.toString(e.seq()))
                .line("channel", e.channel() == null ? null : e.channel().name());
    }

    private static CanonicalLines body(CanonicalLines out, ConsentEvent e) {
        return out.line("action", e.action().name())
                .line("outcome", e.outcome().name())
                .line(
                        "rejectReason",
                        e.rejectReason() == null ? null : e.rejectReason().name())
                .line("from", e.from() == null ? null : e.from().name())
                .line("to", e.to() == null ? null : e.to().name())
                .line("suspendedUntil", e.suspendedUntil())
                .line("occurredAt", e.occurredAt())
                .line("recordedAt", e.recordedAt())
                .line("source", e.source());
    }

    private static CanonicalLines ids(CanonicalLines out, ConsentEvent e) {
        return out.line("campaignId", e.campaignId())
                .line("communicationId", e.communicationId())
                .line("signUpUnit", e.signUpUnit());
    }

    private static void putIfPresent(Map<String, String> map, String key, @Nullable String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
