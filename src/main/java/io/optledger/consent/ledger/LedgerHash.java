package io.optledger.consent.ledger;

import io.optledger.platform.CanonicalLines;
import io.optledger.platform.Hashing;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

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
        CanonicalLines out = new CanonicalLines(VERSION)
                .line("workspace", Long.toString(e.workspaceId()))
                .line("contact", Long.toString(e.contactId()))
                .line("seq", Long.toString(e.seq()))
                .line("channel", e.channel().name())
                .line("address", e.address())
                .line("topic", e.topic())
                .line("action", e.action().name())
                .line("outcome", e.outcome().name())
                .line(
                        "rejectReason",
                        e.rejectReason() == null ? null : e.rejectReason().name())
                .line("from", e.from() == null ? null : e.from().name())
                .line("to", e.to() == null ? null : e.to().name())
                .line("suspendedUntil", e.suspendedUntil())
                .line("occurredAt", e.occurredAt())
                .line("recordedAt", e.recordedAt())
                .line("source", e.source())
                .line("reason", e.reason())
                .line("campaignId", e.campaignId())
                .line("communicationId", e.communicationId())
                .line("signUpUnit", e.signUpUnit())
                .line("ip", e.ip())
                .line("userAgent", e.userAgent())
                .line("apiKeyId", e.apiKeyId())
                .line("requestId", e.requestId());
        for (Map.Entry<String, String> detail : new TreeMap<>(e.details()).entrySet()) {
            out.line("details." + detail.getKey(), detail.getValue());
        }
        return out.line("prev", e.prevHash()).toString();
    }
}
