package io.optledger.consent.ledger;

import io.optledger.platform.Hashing;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The canonical form of a ledger event and its chain hash. The form is documented in {@code docs/ledger.md}: changing
 * it breaks every existing chain, so it is versioned by its first line.
 */
public final class LedgerHash {

    /** The previous hash of a contact's first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final String VERSION = "optledger-ledger-v1";
    private static final HexFormat HEX = HexFormat.of();

    private LedgerHash() {}

    /** SHA-256 over the canonical form of the event with {@code prevHash}; the event's own hash is not an input. */
    public static String of(ConsentEvent event) {
        return HEX.formatHex(Hashing.sha256(canonical(event)));
    }

    public static String canonical(ConsentEvent e) {
        StringBuilder out = new StringBuilder(512).append(VERSION).append('\n');
        line(out, "workspace", Long.toString(e.workspaceId()));
        line(out, "contact", Long.toString(e.contactId()));
        line(out, "seq", Long.toString(e.seq()));
        line(out, "channel", e.channel().name());
        line(out, "address", e.address());
        line(out, "topic", e.topic());
        line(out, "action", e.action().name());
        line(out, "outcome", e.outcome().name());
        line(
                out,
                "rejectReason",
                e.rejectReason() == null ? null : e.rejectReason().name());
        line(out, "from", e.from() == null ? null : e.from().name());
        line(out, "to", e.to() == null ? null : e.to().name());
        line(out, "suspendedUntil", time(e.suspendedUntil()));
        line(out, "occurredAt", time(e.occurredAt()));
        line(out, "recordedAt", time(e.recordedAt()));
        line(out, "source", e.source());
        line(out, "reason", e.reason());
        line(out, "campaignId", e.campaignId());
        line(out, "communicationId", e.communicationId());
        line(out, "signUpUnit", e.signUpUnit());
        line(out, "ip", e.ip());
        line(out, "userAgent", e.userAgent());
        line(out, "apiKeyId", e.apiKeyId());
        line(out, "requestId", e.requestId());
        for (Map.Entry<String, String> detail : new TreeMap<>(e.details()).entrySet()) {
            line(out, "details." + detail.getKey(), detail.getValue());
        }
        line(out, "prev", e.prevHash());
        return out.toString();
    }

    private static void line(StringBuilder out, String name, @Nullable String value) {
        if (value == null) {
            // a missing value has no '=' at all, so null and "" hash apart
            out.append(name).append('\n');
            return;
        }
        out.append(name).append('=');
        // escape so that no value can forge a line of its own
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        out.append('\n');
    }

    private static @Nullable String time(@Nullable Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
