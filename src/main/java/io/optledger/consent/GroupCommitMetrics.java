package io.optledger.consent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What group commit does, in Micrometer: {@code optledger.consent.group.size} (requests per commit, with a histogram),
 * {@code optledger.consent.group.changes} (changes per commit),
 * {@code optledger.consent.group.queued}, {@code optledger.consent.group.retried.alone} (requests of failed groups retried one by one) and
 * {@code optledger.consent.group.abandoned} (requests answered 503, by reason).
 */
@Component
class GroupCommitMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary size;
    private final DistributionSummary changes;
    private final Counter retriedAlone;

    GroupCommitMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.size = DistributionSummary.builder("optledger.consent.group.size")
                .description("Requests committed together in one transaction")
                .baseUnit("requests")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.changes = DistributionSummary.builder("optledger.consent.group.changes")
                .description("Changes committed together in one transaction")
                .baseUnit("changes")
                .serviceLevelObjectives(1, 10, 100, 250, 500, 1000)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.retriedAlone = Counter.builder("optledger.consent.group.retried.alone")
                .description("Requests of a failed group commit retried one by one")
                .register(registry);
    }

    /** Publishes {@code optledger.consent.group.queued}: requests waiting for the next commit. */
    void watchQueue(java.util.function.IntSupplier queued) {
        Gauge.builder("optledger.consent.group.queued", queued::getAsInt)
                .description("Requests waiting for the next group commit")
                .register(registry);
    }

    void group(int requests, int changes) {
        size.record(requests);
        this.changes.record(changes);
    }

    void retriedAlone(int requests) {
        retriedAlone.increment(requests);
    }

    void abandoned(String reason) {
        Counter.builder("optledger.consent.group.abandoned")
                .description("Requests answered 503 by group commit: queued too long, interrupted, commit failed")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
