package io.optledger.consent.ledger;

import io.optledger.consent.Action;
import io.optledger.consent.RejectReason;
import io.optledger.consent.Status;
import io.optledger.consent.SubscriptionKey;
import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One immutable ledger entry: an attempted change to one subscription, what it did, and its proof. {@code to} is the
 * status after the event (for stale, unchanged and rejected attempts, the status it left in place). Hashes are hex.
 * {@code form} is the canonical form its hash is computed over ({@link LedgerHash}); a form 2 event's personal fields
 * enter the hash as {@code commitments}, by line name. An erased event ({@code erasedAt} set) has lost its personal
 * fields (null, details empty). Only the erasure's own event ({@link Action#ERASE}) has no channel, address or topic.
 */
public record ConsentEvent(
        long workspaceId,
        long contactId,
        long seq,
        @Nullable Channel channel,
        @Nullable String address,
        @Nullable String topic,
        Action action,
        EventOutcome outcome,
        @Nullable RejectReason rejectReason,
        @Nullable Status from,
        @Nullable Status to,
        @Nullable Instant suspendedUntil,
        Instant occurredAt,
        Instant recordedAt,
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
        String prevHash,
        String hash,
        int form,
        Map<String, String> commitments,
        @Nullable Instant erasedAt) {

    public ConsentEvent {
        details = Map.copyOf(details);
        commitments = Map.copyOf(commitments);
        if (form != 1 && form != LedgerHash.CURRENT_FORM) {
            throw new IllegalArgumentException("no canonical form " + form);
        }
    }

    /** An event in canonical form 1, as written before form 2: no commitments, nothing erased. */
    public ConsentEvent(
            long workspaceId,
            long contactId,
            long seq,
            Channel channel,
            String address,
            String topic,
            Action action,
            EventOutcome outcome,
            @Nullable RejectReason rejectReason,
            @Nullable Status from,
            @Nullable Status to,
            @Nullable Instant suspendedUntil,
            Instant occurredAt,
            Instant recordedAt,
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
            String prevHash,
            String hash) {
        this(
                workspaceId,
                contactId,
                seq,
                channel,
                address,
                topic,
                action,
                outcome,
                rejectReason,
                from,
                to,
                suspendedUntil,
                occurredAt,
                recordedAt,
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
                1,
                Map.of(),
                null);
    }

    /**
     * Whether the event names a subscription: false for the erasure's own event, and for an erased event, whose
     * address is gone. Readers of a contact's subscription history skip these.
     */
    public boolean namesSubscription() {
        return channel != null && address != null && topic != null;
    }

    /** The subscription the event is about; only when {@link #namesSubscription()}. */
    public SubscriptionKey key() {
        if (!namesSubscription()) {
            throw new IllegalStateException("event " + seq + " names no subscription");
        }
        return new SubscriptionKey(contactId, channel, address, topic);
    }

    public boolean erased() {
        return erasedAt != null;
    }

    public ConsentEvent withHash(String hash) {
        return new ConsentEvent(
                workspaceId,
                contactId,
                seq,
                channel,
                address,
                topic,
                action,
                outcome,
                rejectReason,
                from,
                to,
                suspendedUntil,
                occurredAt,
                recordedAt,
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
                erasedAt);
    }

    /** The same event in canonical form 2, its personal fields committed to with the contact's key. */
    public ConsentEvent committedWith(byte[] key) {
        return new ConsentEvent(
                workspaceId,
                contactId,
                seq,
                channel,
                address,
                topic,
                action,
                outcome,
                rejectReason,
                from,
                to,
                suspendedUntil,
                occurredAt,
                recordedAt,
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
                LedgerHash.CURRENT_FORM,
                LedgerHash.commitments(key, this),
                erasedAt);
    }
}
