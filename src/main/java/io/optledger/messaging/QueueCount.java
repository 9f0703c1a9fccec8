package io.optledger.messaging;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** How many of a workspace's messages are in a status, and when the oldest of them was queued (null: none is). */
public record QueueCount(
        OutboundMessage.Status status, long count, @Nullable Instant oldest) {}
