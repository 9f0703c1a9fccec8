package io.optledger.delivery;

import io.optledger.delivery.internal.JdbcOutboxUpkeep;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Deletes outbox rows older than {@code optledger.outbox.retention} once every reader is done with them: the webhook
 * fan-out has passed them and, with the Kafka stream on, they are published. A row a reader still needs is kept however
 * old it is, so an outage of a broker or a long-stopped fan-out delays and never loses events. The ledger keeps the
 * history; the outbox is only the queue to the systems around the service.
 */
@Component
class OutboxPruner implements SupervisedLoop {

    private static final int BATCH = 1_000;

    private final JdbcOutboxUpkeep upkeep;
    private final Clock clock;
    private final Duration retention;
    private final boolean kafka;

    OutboxPruner(
            JdbcOutboxUpkeep upkeep,
            Clock clock,
            @Value("${optledger.outbox.retention:7d}") Duration retention,
            @Value("${optledger.kafka.bootstrap-servers:}") String kafkaServers) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("optledger.outbox.retention must be positive, not " + retention);
        }
        this.upkeep = upkeep;
        this.clock = clock;
        this.retention = retention;
        this.kafka = !kafkaServers.isBlank();
    }

    /** Answers whether the batch was full, so more may be waiting. */
    boolean prune(Instant cutoff) {
        return upkeep.prune(cutoff, kafka, BATCH) == BATCH;
    }

    @Override
    public String name() {
        return "outbox-pruner";
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
        return prune(clock.instant().minus(retention));
    }
}
