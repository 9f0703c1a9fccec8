package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.Delivery.Attempt;
import io.optledger.delivery.webhook.internal.JdbcDeliveries;
import io.optledger.delivery.webhook.internal.JdbcEndpoints;
import io.optledger.delivery.webhook.internal.JdbcLanes;
import io.optledger.delivery.webhook.internal.JdbcLanes.Lane;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers due webhooks on every node: claims due lanes (SKIP LOCKED, for a lease, fenced by the claim number),
 * delivers each lane's head and then the next while they are due, {@code optledger.webhooks.concurrency} lanes at a
 * time, and retries failures with exponential backoff and jitter until {@code optledger.webhooks.retry-for} has
 * passed. A 410 disables the endpoint, as does failing every attempt for {@code optledger.webhooks.disable-after}.
 */
@Component
class DeliveryWorker implements SupervisedLoop {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 50;
    /** How long one lane is worked on before the claim is given back, so one busy contact does not hold a slot. */
    private static final Duration LANE_BUDGET = Duration.ofSeconds(30);
    /** Longer than the slowest pass: every lane of a batch spending its budget, a few at a time. */
    private static final Duration STALL_AFTER = Duration.ofMinutes(20);

    private final JdbcLanes lanes;
    private final JdbcDeliveries deliveries;
    private final JdbcEndpoints endpoints;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final WebhookSettings settings;

    DeliveryWorker(
            JdbcLanes lanes,
            JdbcDeliveries deliveries,
            JdbcEndpoints endpoints,
            WebhookSender sender,
            WebhookMetrics metrics,
            TransactionTemplate tx,
            Clock clock,
            WebhookSettings settings) {
        this.lanes = lanes;
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.sender = sender;
        this.metrics = metrics;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    /** Delivers what is due on up to a batch of lanes; answers how many lanes it claimed. */
    int deliverDue() throws Exception {
        Instant now = clock.instant();
        List<Lane> claimed = lanes.claim(now, now.plus(settings.lease()), BATCH);
        AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
        Semaphore slots = new Semaphore(settings.concurrency());
        // the lanes' tasks end with the pass: the supervisor still sees every pass, and its failures
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Lane lane : claimed) {
                slots.acquire();
                executor.submit(() -> {
                    try {
                        deliver(lane);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (failure.get() != null) {
            // the lanes whose work failed are retried once their lease ends
            throw failure.get();
        }
        return claimed.size();
    }

    private void deliver(Lane lane) {
        long deadline = System.nanoTime() + LANE_BUDGET.toNanos();
        // the claim was made with a full lease just now
        long renewedAt = System.nanoTime();
        long renewEvery = settings.lease().toNanos() / 4;
        while (true) {
            Optional<Endpoint> endpoint = endpoints.find(lane.workspaceId(), lane.endpointId());
            Instant now = clock.instant();
            Delivery head = endpoint.filter(Endpoint::enabled)
                    .flatMap(e -> deliveries.head(lane.workspaceId(), lane.endpointId(), lane.contactId()))
                    .orElse(null);
            if (head == null || head.nextAttemptAt().isAfter(now)) {
                settle(lane, endpoint.map(Endpoint::enabled).orElse(false));
                return;
            }
            // the claim renewed before an attempt once a quarter of the lease has passed (an attempt takes at most half
            // of it): a lane another node took over after our lease lapsed is not ours
            if (System.nanoTime() - renewedAt > renewEvery) {
                if (!lanes.renew(lane, now.plus(settings.lease()))) {
                    return;
                }
                renewedAt = System.nanoTime();
            }
            WebhookSender.Result result = sender.send(endpoint.get(), head.id(), head.body());
            if (!finish(lane, endpoint.get(), head, result, System.nanoTime() < deadline)) {
                return;
            }
        }
    }

    /**
     * Records the attempt, its outcome and the endpoint's health under the claim, in one transaction; when the lane's
     * next delivery is not due now (or the budget is spent), it also settles the lane there. Answers whether to go on
     * with the lane's next delivery.
     */
    private boolean finish(
            Lane lane, Endpoint endpoint, Delivery delivery, WebhookSender.Result result, boolean budgetLeft) {
        Attempt attempt = result.attempt();
        Instant now = clock.instant();
        Boolean more = tx.execute(status -> {
            // endpoint, then lane, then delivery: the order every transaction that writes them takes
            boolean enabled = health(endpoint, result);
            boolean ours = lanes.lockClaimed(lane);
            deliveries.insertAttempt(lane.workspaceId(), delivery.id(), attempt);
            if (!ours) {
                log.warn(
                        "Webhook {} to endpoint {} was attempted after its lane's claim was lost",
                        delivery.id(),
                        lane.endpointId());
                return false;
            }
            if (attempt.delivered()) {
                deliveries.recordOutcome(delivery, attempt, Delivery.Status.DELIVERED, now, now);
            } else if (!now.isBefore(delivery.retryUntil())) {
                deliveries.recordOutcome(delivery, attempt, Delivery.Status.FAILED, now, now);
                metrics.givenUp(delivery);
            } else {
                Instant next = now.plus(backoff(delivery.attempts() + 1, result.retryAfter()));
                Instant last = next.isAfter(delivery.retryUntil()) ? delivery.retryUntil() : next;
                deliveries.recordOutcome(delivery, attempt, Delivery.Status.PENDING, last, null);
            }
            Optional<Instant> due = lanes.reschedule(lane.workspaceId(), lane.endpointId(), lane.contactId(), !enabled);
            boolean goOn =
                    enabled && budgetLeft && due.isPresent() && !due.get().isAfter(clock.instant());
            if (!goOn) {
                lanes.release(lane);
            }
            return goOn;
        });
        if (attempt.delivered()) {
            metrics.delivered(delivery, now);
        } else {
            metrics.failed(delivery);
        }
        return Boolean.TRUE.equals(more);
    }

    /**
     * Keeps the endpoint's health: a success ends a failing streak, a 410 disables it, and so does a streak longer than
     * {@code disable-after}. Answers whether it is still enabled. In the caller's transaction.
     */
    private boolean health(Endpoint endpoint, WebhookSender.Result result) {
        Attempt attempt = result.attempt();
        Instant now = clock.instant();
        if (attempt.delivered()) {
            if (endpoint.failingSince() != null) {
                endpoints.succeeded(endpoint.workspaceId(), endpoint.id());
            }
            return true;
        }
        if (attempt.statusCode() != null && attempt.statusCode() == 410) {
            endpoints.disable(
                    endpoint.workspaceId(),
                    endpoint.id(),
                    "the receiver answered 410 Gone at " + now + ": it asked for no more webhooks",
                    false,
                    now);
            log.warn("Webhook endpoint {} disabled: it answered 410 Gone", endpoint.id());
            return false;
        }
        Optional<Instant> failingSince =
                endpoints.failed(endpoint.workspaceId(), endpoint.id(), now, now.minus(settings.disableAfter()));
        if (failingSince.isPresent()) {
            endpoints.disable(
                    endpoint.workspaceId(),
                    endpoint.id(),
                    "every attempt failed since " + failingSince.get() + " (longer than " + settings.disableAfter()
                            + "); the last: " + attempt.error(),
                    false,
                    now);
            log.warn("Webhook endpoint {} disabled: failing since {}", endpoint.id(), failingSince.get());
            return false;
        }
        return true;
    }

    /** Sets the lane's next due time from its head (none while paused) and gives the claim back. */
    private void settle(Lane lane, boolean enabled) {
        tx.executeWithoutResult(status -> {
            if (lanes.lockClaimed(lane)) {
                lanes.reschedule(lane.workspaceId(), lane.endpointId(), lane.contactId(), !enabled);
                lanes.release(lane);
            }
        });
    }

    /** The pause after a failed attempt: first-retry, doubled each time up to max-retry-interval, then jittered. */
    Duration backoff(int failedAttempts, @Nullable Duration retryAfter) {
        long first = settings.firstRetry().toMillis();
        long max = settings.maxRetryInterval().toMillis();
        long exponential = first << Math.min(Math.max(failedAttempts - 1, 0), 30);
        long capped = exponential <= 0 || exponential > max ? max : exponential;
        // between half of it and all of it: receivers that failed together are not retried together
        Duration pause =
                Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
        return retryAfter != null && retryAfter.compareTo(pause) > 0 ? retryAfter : pause;
    }

    @Override
    public String name() {
        return "webhook-delivery";
    }

    @Override
    public Duration interval() {
        return settings.pollInterval();
    }

    @Override
    public Duration stallAfter() {
        return STALL_AFTER;
    }

    @Override
    public boolean runOnce() throws Exception {
        return deliverDue() == BATCH;
    }
}
