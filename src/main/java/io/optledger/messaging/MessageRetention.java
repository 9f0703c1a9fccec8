package io.optledger.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long what the service keeps about people is kept (docs/configuration.md).
 *
 * @param messages finished messages (sent, failed, cancelled: their bodies and recipients) are deleted this long after
 *     they were queued
 */
@ConfigurationProperties("optledger.retention")
public record MessageRetention(@DefaultValue("30d") Duration messages) {

    public MessageRetention {
        if (messages.isNegative() || messages.isZero()) {
            throw new IllegalArgumentException("optledger.retention.messages must be positive, not " + messages);
        }
    }
}
