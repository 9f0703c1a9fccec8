package io.optledger.consent.ledger;

import io.optledger.platform.SupervisedLoop;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Runs {@link LedgerCheckpoints#checkpointOnce()} every {@code optledger.ledger.checkpoints.interval} under the
 * platform supervisor (a round with no changes writes nothing). Off on a node with
 * {@code optledger.ledger.checkpoints.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "optledger.ledger.checkpoints.enabled", matchIfMissing = true)
class CheckpointLoop implements SupervisedLoop {

    private final LedgerCheckpoints checkpoints;
    private final Duration interval;

    CheckpointLoop(
            LedgerCheckpoints checkpoints, @Value("${optledger.ledger.checkpoints.interval:1m}") Duration interval) {
        this.checkpoints = checkpoints;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "ledger-checkpoint";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration stallAfter() {
        // a round may sign many workspaces; stalled when several intervals pass without one finishing
        return interval.multipliedBy(10).compareTo(Duration.ofMinutes(10)) > 0
                ? interval.multipliedBy(10)
                : Duration.ofMinutes(10);
    }

    @Override
    public boolean runOnce() {
        checkpoints.checkpointOnce();
        return false;
    }
}
