package io.optledger.suppression;

import io.optledger.contact.Channel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An address that must not be messaged on a channel. */
public record Suppression(
        Channel channel,
        String address,
        SuppressionReason reason,
        @Nullable String note,
        Instant createdAt) {}
