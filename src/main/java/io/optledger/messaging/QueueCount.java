package io.optledger.messaging;

import java.time.Instant;

/** How many of a workspace's messages are in a status, and when the oldest of them was queued. */
public record QueueCount(OutboundMessage.Status status, long count, Instant oldest) {}
