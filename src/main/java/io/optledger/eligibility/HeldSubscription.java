package io.optledger.eligibility;

import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What an eligibility answer needs of one subscription at an address, as the address facts cache holds it: not the
 * address (the cache's key has it), source, receipt time or properties, and the topic's key as the topic's own string.
 * With many addresses cached, each subscription is one small object rather than a dozen.
 */
record HeldSubscription(
        long contactId,
        String topic,
        Status status,
        boolean deleted,
        Instant occurredAt,
        @Nullable Instant suspendedUntil) {

    static HeldSubscription of(Subscription subscription, String topic) {
        return new HeldSubscription(
                subscription.contactId(),
                topic,
                subscription.status(),
                subscription.deleted(),
                subscription.occurredAt(),
                subscription.suspendedUntil());
    }

    /** As {@link Subscription#isActiveAt}: the consent rule itself, applied to what is held. */
    boolean isActiveAt(Instant now) {
        return Subscription.isActive(status, deleted, suspendedUntil, now);
    }
}
