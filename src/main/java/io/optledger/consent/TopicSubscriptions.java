package io.optledger.consent;

import io.optledger.contact.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Which of a topic's subscriptions to list: null fields do not filter. {@code contactAttribute} narrows to contacts
 * whose attribute of that name has {@code contactAttributeValue} (Altcraft's database of a profile).
 */
public record TopicSubscriptions(
        long workspaceId,
        String topic,
        @Nullable Channel channel,
        @Nullable Status status,
        @Nullable String contactAttribute,
        @Nullable String contactAttributeValue) {}
