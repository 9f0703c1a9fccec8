package io.optledger.proof.verifier;

import io.optledger.consent.Action;
import io.optledger.consent.RejectReason;
import io.optledger.consent.Status;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.contact.Channel;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A contact's consent proof (docs/ledger.md, "Proof"): its ledger events, the disclosure texts they name, its chain
 * head and current state, the latest signed checkpoint that covers it, the public keys, and the workspace key's
 * signature over {@link ProofText}. Instants are text as {@link DateTimeFormatter#ISO_INSTANT} prints them; keys and
 * signatures base64url without padding; hashes lowercase hex.
 */
public record ProofDocument(
        String format,
        long workspaceId,
        long contactId,
        String issuedAt,
        @Nullable String commitmentKey,
        List<Event> events,
        List<Disclosure> disclosures,
        Head head,
        List<State> state,
        @Nullable CheckpointProof checkpoint,
        List<Key> keys,
        String keyId,
        String signature) {

    public static final String FORMAT = "optledger-proof-v1";

    /** One ledger event with every field its canonical form reads. */
    public record Event(
            long seq,
            int form,
            @Nullable String channel,
            @Nullable String address,
            @Nullable String topic,
            String action,
            String outcome,
            @Nullable String rejectReason,
            @Nullable String from,
            @Nullable String to,
            @Nullable String suspendedUntil,
            String occurredAt,
            String recordedAt,
            String source,
            @Nullable String reason,
            @Nullable String campaignId,
            @Nullable String communicationId,
            @Nullable String signUpUnit,
            @Nullable String ip,
            @Nullable String userAgent,
            @Nullable String apiKeyId,
            @Nullable String requestId,
            Map<String, String> details,
            Map<String, String> commitments,
            boolean erased,
            String prevHash,
            String hash) {

        public static Event of(ConsentEvent e) {
            return new Event(
                    e.seq(),
                    e.form(),
                    name(e.channel()),
                    e.address(),
                    e.topic(),
                    e.action().name(),
                    e.outcome().name(),
                    name(e.rejectReason()),
                    name(e.from()),
                    name(e.to()),
                    text(e.suspendedUntil()),
                    text(e.occurredAt()),
                    text(e.recordedAt()),
                    e.source(),
                    e.reason(),
                    e.campaignId(),
                    e.communicationId(),
                    e.signUpUnit(),
                    e.ip(),
                    e.userAgent(),
                    e.apiKeyId(),
                    e.requestId(),
                    e.details(),
                    e.commitments(),
                    e.erased(),
                    e.prevHash(),
                    e.hash());
        }

        /**
         * The ledger's event this describes; refuses a value that is not in its one canonical spelling (an instant
         * written another way, an unknown name), so that no two documents describe the same event.
         */
        public ConsentEvent toConsentEvent(long workspaceId, long contactId) {
            return new ConsentEvent(
                    workspaceId,
                    contactId,
                    seq,
                    parse(channel, Channel::valueOf),
                    address,
                    topic,
                    Action.valueOf(action),
                    EventOutcome.valueOf(outcome),
                    parse(rejectReason, RejectReason::valueOf),
                    parse(from, Status::valueOf),
                    parse(to, Status::valueOf),
                    parse(suspendedUntil, ProofDocument::instant),
                    instant(occurredAt),
                    instant(recordedAt),
                    source,
                    reason,
                    campaignId,
                    communicationId,
                    signUpUnit,
                    ip,
                    userAgent,
                    apiKeyId,
                    requestId,
                    details,
                    prevHash,
                    hash,
                    form,
                    commitments,
                    // the erasure's time is not part of the proof, only that it happened
                    erased ? Instant.EPOCH : null);
        }
    }

    /** A version of a sign-up unit's disclosure text; {@code hash} is the hex SHA-256 of {@code text}. */
    public record Disclosure(String signUpUnit, int version, String text, String hash) {}

    /** The contact's chain head: its last event (seq 0 and 64 zeros before the first). */
    public record Head(long seq, String hash) {}

    /** A subscription's current state; {@code receivedAt} is when its consent time was received. */
    public record State(
            String channel,
            String address,
            String topic,
            String status,
            @Nullable String suspendedUntil,
            String occurredAt,
            String receivedAt,
            boolean deleted) {}

    /**
     * The latest signed checkpoint that records events of the contact, with the lines of all its entries (so its
     * entries digest can be recomputed), the contact's among them.
     */
    public record CheckpointProof(
            long number,
            String createdAt,
            String keyId,
            String prevRoot,
            int contacts,
            long events,
            String entriesDigest,
            String root,
            String signature,
            List<String> entries) {}

    /** A public key: {@code kid} is the RFC 7638 thumbprint of the raw Ed25519 key {@code x}. */
    public record Key(String kid, String x) {}

    public static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** An instant in its one spelling. */
    public static Instant instant(String text) {
        Instant parsed = Instant.parse(text);
        if (!DateTimeFormatter.ISO_INSTANT.format(parsed).equals(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an instant as ISO_INSTANT writes it");
        }
        return parsed;
    }

    private static @Nullable String name(@Nullable Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static <T> @Nullable T parse(@Nullable String value, Function<String, T> parser) {
        return value == null ? null : parser.apply(value);
    }
}
