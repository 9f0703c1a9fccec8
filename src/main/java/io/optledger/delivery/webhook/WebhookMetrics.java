package io.optledger.delivery.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.optledger.delivery.webhook.internal.JdbcFanOut;
import io.optledger.delivery.webhook.internal.JdbcUpkeep;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Webhook metrics in Prometheus: deliveries delivered, failed attempts and given-up deliveries per endpoint (this
 * node's), and per endpoint the age of its oldest undelivered event (everyone's, read every 10 s by this loop), with
 * the age of the oldest outbox row the fan-out has not reached.
 */
@Component
class WebhookMetrics implements SupervisedLoop {

    private static final Duration EVERY = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final JdbcUpkeep upkeep;
    private final JdbcFanOut fanOut;
    private final Clock clock;
    /** Lag in milliseconds by endpoint key; a gauge reads each. */
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    private final AtomicLong fanOutLag = new AtomicLong();

    WebhookMetrics(MeterRegistry registry, JdbcUpkeep upkeep, JdbcFanOut fanOut, Clock clock) {
        this.registry = registry;
        this.upkeep = upkeep;
        this.fanOut = fanOut;
        this.clock = clock;
        Gauge.builder("optledger.webhooks.fanout.lag", fanOutLag, lag -> lag.get() / 1000.0)
                .description("Age of the oldest outbox row not yet turned into webhook deliveries")
                .baseUnit("seconds")
                .register(registry);
    }

    void delivered(Delivery delivery, Instant now) {
        counter("optledger.webhooks.delivered", "Webhook deliveries answered with a 2xx", delivery)
                .increment();
    }

    void failed(Delivery delivery) {
        counter("optledger.webhooks.failed", "Webhook attempts that failed (retried unless given up)", delivery)
                .increment();
    }

    void givenUp(Delivery delivery) {
        counter("optledger.webhooks.given.up", "Webhook deliveries given up after their retries ran out", delivery)
                .increment();
    }

    private Counter counter(String name, String description, Delivery delivery) {
        return Counter.builder(name)
                .description(description)
                .tags(tags(delivery.workspaceId(), delivery.endpointId()))
                .register(registry);
    }

    private static Tags tags(long workspaceId, String endpointId) {
        return Tags.of("workspace", Long.toString(workspaceId), "endpoint", endpointId);
    }

    /** Reads every endpoint's lag, and the fan-out's. */
    void refresh() {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (JdbcUpkeep.Oldest oldest : upkeep.oldestPending()) {
            String key = oldest.workspaceId() + "/" + oldest.endpointId();
            seen.add(key);
            lags.computeIfAbsent(key, k -> {
                        AtomicLong lag = new AtomicLong();
                        Gauge.builder("optledger.webhooks.lag", lag, value -> value.get() / 1000.0)
                                .description("Age of the oldest event not yet delivered to a webhook endpoint")
                                .baseUnit("seconds")
                                .tags(tags(oldest.workspaceId(), oldest.endpointId()))
                                .register(registry);
                        return lag;
                    })
                    .set(Math.max(0, Duration.between(oldest.createdAt(), now).toMillis()));
        }
        lags.forEach((key, lag) -> {
            if (!seen.contains(key)) {
                lag.set(0);
            }
        });
        fanOutLag.set(fanOut.oldestWaiting()
                .map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis()))
                .orElse(0L));
    }

    @Override
    public String name() {
        return "webhook-metrics";
    }

    @Override
    public Duration interval() {
        return EVERY;
    }

    @Override
    public Duration stallAfter() {
        return Duration.ofMinutes(5);
    }

    @Override
    public boolean runOnce() {
        refresh();
        return false;
    }
}
