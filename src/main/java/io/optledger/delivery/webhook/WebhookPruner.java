package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.internal.JdbcUpkeep;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Deletes delivered and given-up deliveries (with their attempts) once they are older than
 * {@code optledger.webhooks.retention}, the rows of endpoints deleted a minute ago or more, and idle lanes; a batch of
 * each at a time.
 */
@Component
class WebhookPruner implements SupervisedLoop {

    private static final int BATCH = 1_000;
    /** Long enough that no pass of the fan-out or a worker that read the endpoint before its deletion still runs. */
    private static final Duration DELETED_FOR = Duration.ofMinutes(1);

    private final JdbcUpkeep upkeep;
    private final Clock clock;
    private final Duration retention;

    WebhookPruner(JdbcUpkeep upkeep, Clock clock, WebhookSettings settings) {
        this.upkeep = upkeep;
        this.clock = clock;
        this.retention = settings.retention();
    }

    /** Answers whether a batch was full, so more may be waiting. */
    boolean prune() {
        Instant now = clock.instant();
        int finished = upkeep.pruneFinished(now.minus(retention), BATCH);
        int ofDeleted = upkeep.pruneDeletedEndpoints(now.minus(DELETED_FOR), BATCH);
        int lanes = upkeep.pruneIdleLanes(now, BATCH);
        return finished == BATCH || ofDeleted >= BATCH || lanes == BATCH;
    }

    @Override
    public String name() {
        return "webhook-pruner";
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
