package io.optledger.consent;

import io.optledger.contact.Channel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The current state of one (contact, channel, address, topic). */
public record Subscription(
        long contactId,
        Channel channel,
        String address,
        String topic,
        Status status,
        @Nullable Instant suspendedUntil,
        Instant occurredAt,
        String source,
        Instant updatedAt) {

    public SubscriptionKey key() {
        return new SubscriptionKey(contactId, channel, address, topic);
    }

    /** SUBSCRIBED, or SUSPENDED with a suspension that has ended. */
    public boolean isActiveAt(Instant now) {
        return status == Status.SUBSCRIBED
                || (status == Status.SUSPENDED && suspendedUntil != null && !suspendedUntil.isAfter(now));
    }
}
