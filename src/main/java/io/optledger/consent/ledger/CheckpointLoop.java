package io.optledger.consent.ledger;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link LedgerCheckpoints#checkpointOnce()} every {@code optledger.ledger.checkpoints.interval} (a round with
 * no changes writes nothing). Only the scheduling lives here, so a supervisor can drive the same round instead.
 */
@Component
class CheckpointLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CheckpointLoop.class);

    private final LedgerCheckpoints checkpoints;
    private final Duration interval;
    private final boolean enabled;
    private volatile boolean running;
    private @Nullable Thread thread;

    CheckpointLoop(
            LedgerCheckpoints checkpoints,
            @Value("${optledger.ledger.checkpoints.interval:1m}") Duration interval,
            @Value("${optledger.ledger.checkpoints.enabled:true}") boolean enabled) {
        this.checkpoints = checkpoints;
        this.interval = interval;
        this.enabled = enabled;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                checkpoints.checkpointOnce();
            } catch (RuntimeException e) {
                log.warn("Ledger checkpoint round failed; retrying next round: {}", e.toString());
            }
        }
    }

    @Override
    public void start() {
        if (enabled) {
            running = true;
            thread = Thread.ofPlatform().name("ledger-checkpoints").daemon().start(this::run);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
