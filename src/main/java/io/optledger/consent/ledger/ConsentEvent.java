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
 */
public record ConsentEvent(
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

    public ConsentEvent {
        details = Map.copyOf(details);
    }

    public SubscriptionKey key() {
        return new SubscriptionKey(contactId, channel, address, topic);
    }
}
