package io.optledger.messaging;

import io.optledger.messaging.internal.JdbcMessages;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Deletes finished messages older than {@code optledger.retention.messages}, a batch at a time: a message's body and
 * recipient are personal data, kept only as long as an operator needs to see what was sent. The same supervised loop as
 * the webhook pruner's, so a stall shows in health.
 */
@Component
class MessagePruner implements SupervisedLoop {

    private static final int BATCH = 1_000;

    private final JdbcMessages messages;
    private final Clock clock;
    private final Duration retention;

    MessagePruner(JdbcMessages messages, Clock clock, MessageRetention retention) {
        this.messages = messages;
        this.clock = clock;
        this.retention = retention.messages();
    }

    /** Answers whether the batch was full, so more may be waiting. */
    boolean prune() {
        return messages.pruneFinished(clock.instant().minus(retention), BATCH) == BATCH;
    }

    @Override
    public String name() {
        return "message-pruner";
    }

    @Override
    public Duration interval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public Duration stallAfter() {
        return Duration.ofMinutes(15);
    }

    @Override
    public boolean runOnce() {
        return prune();
    }
}
