package io.optledger.consent;

import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The current state of one (contact, channel, address, topic). {@code occurredAt} is when its last consent action
 * (opt-in, request, confirmation, opt-out) happened by the caller's account, {@code updatedAt} when the service received
 * that action (its clock): a pause, a delete or a property change keeps them; 1970-01-01 where no consent action ever
 * applied. A {@code deleted} subscription keeps its status and history but is never active; {@code properties} are
 * what a dialect keeps with it (Altcraft's priority, custom fields and categories), opaque to the consent rules.
 */
public record Subscription(
        long contactId,
        Channel channel,
        String address,
        String topic,
        Status status,
        @Nullable Instant suspendedUntil,
        Instant occurredAt,
        String source,
        Instant updatedAt,
        boolean deleted,
        Map<String, Object> properties) {

    public Subscription {
        // nearly every subscription has none: no map of its own for those (the eligibility cache holds many)
        properties = properties.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public SubscriptionKey key() {
        return new SubscriptionKey(contactId, channel, address, topic);
    }

    /**
     * When the state took effect as received: the earlier of {@code occurredAt} and {@code updatedAt}. A time claimed
     * ahead of the service's clock counts from its receipt, so it cannot outlast a withdrawal received later.
     */
    public Instant effectiveSince() {
        return occurredAt.isBefore(updatedAt) ? occurredAt : updatedAt;
    }

    /** Not deleted, and SUBSCRIBED, or SUSPENDED with a suspension that has ended. */
    public boolean isActiveAt(Instant now) {
        return isActive(status, deleted, suspendedUntil, now);
    }

    /** The rule of {@link #isActiveAt}, for a state held in another form (the eligibility cache keeps less). */
    public static boolean isActive(Status status, boolean deleted, @Nullable Instant suspendedUntil, Instant now) {
        return !deleted
                && (status == Status.SUBSCRIBED
                        || (status == Status.SUSPENDED && suspendedUntil != null && !suspendedUntil.isAfter(now)));
    }
}
