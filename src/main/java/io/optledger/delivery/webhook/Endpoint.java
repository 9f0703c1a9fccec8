package io.optledger.delivery.webhook;

import io.optledger.contact.Channel;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint: where a workspace's events go, which of them, and the secrets that sign them. Empty filters
 * match everything. {@code previousSecret} still signs, beside {@code secret}, until {@code previousSecretUntil}.
 */
public record Endpoint(
        long workspaceId,
        String id,
        URI url,
        @Nullable String description,
        boolean enabled,
        Set<EventType> eventTypes,
        Set<String> topics,
        Set<Channel> channels,
        String secret,
        @Nullable String previousSecret,
        @Nullable Instant previousSecretUntil,
        @Nullable Instant failingSince,
        @Nullable String disabledReason,
        @Nullable Instant disabledAt,
        Instant createdAt,
        Instant updatedAt) {

    public Endpoint {
        eventTypes = Set.copyOf(eventTypes);
        topics = Set.copyOf(topics);
        channels = Set.copyOf(channels);
    }

    /** True when an event of this type, topic and channel is for this endpoint. */
    /** A topic filter leaves events of no topic (suppressions: they hold for every topic) through. */
    public boolean wants(EventType type, @Nullable String topic, String channel) {
        if (type == EventType.CONTACT_ERASED) {
            // about every topic and channel of the contact: a receiver that kept any of its data must hear of it
            return eventTypes.isEmpty() || eventTypes.contains(type);
        }
        return (eventTypes.isEmpty() || eventTypes.contains(type))
                && (topics.isEmpty() || topic == null || topics.contains(topic))
                && (channels.isEmpty()
                        || channels.stream().anyMatch(c -> c.name().equals(channel)));
    }

    /** The secrets that sign an attempt made at {@code now}: the current one first. */
    public java.util.List<String> signingSecrets(Instant now) {
        if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
            return java.util.List.of(secret, previousSecret);
        }
        return java.util.List.of(secret);
    }
}
