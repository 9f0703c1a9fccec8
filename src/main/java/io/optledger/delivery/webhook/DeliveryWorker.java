package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.Delivery.Attempt;
import io.optledger.delivery.webhook.internal.JdbcDeliveries;
import io.optledger.delivery.webhook.internal.JdbcDeliveries.AttemptOf;
import io.optledger.delivery.webhook.internal.JdbcDeliveries.Outcome;
import io.optledger.delivery.webhook.internal.JdbcEndpoints;
import io.optledger.delivery.webhook.internal.JdbcLanes;
import io.optledger.delivery.webhook.internal.JdbcLanes.Claimed;
import io.optledger.delivery.webhook.internal.JdbcLanes.Lane;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers due webhooks on every node, a pass at a time: one statement claims up to {@code optledger.webhooks.pass-size} due lanes (SKIP LOCKED,
 * for a lease, fenced by the claim number) together with each lane's head; each endpoint is read once; the heads that
 * are due are sent at once, {@code optledger.webhooks.concurrency} at a time across passes; then one transaction records every attempt that ended within {@link #RECORD_AFTER}, every outcome and the
 * endpoints' health, sets each lane's next due time and gives the claims back. A send that ends later (a slow receiver)
 * is recorded, under its lane's claim, by the first pass that records after it ended, while the next passes go on for
 * the other endpoints. A lane's next delivery goes in a later pass, so a contact's events stay in order. Failures are
 * retried with exponential backoff and jitter until {@code optledger.webhooks.retry-for} has passed. A 410 disables
 * the endpoint, as does failing every attempt for {@code optledger.webhooks.disable-after}. When a pass finds nothing
 * due, the loop waits for its poll interval or until this node's fan-out adds deliveries or a late send ends.
 */
@Component
class DeliveryWorker implements SupervisedLoop, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Longer than the slowest pass: its sends all start within half the lease, each ending within the timeout. */
    private static final Duration STALL_AFTER = Duration.ofMinutes(20);
    /**
     * How long a pass waits for its sends before it records those that ended: a healthy receiver answers well within
     * it, and a slow one's attempts are recorded by a later pass, while the next passes go on. Every delivery a pass
     * claimed waits for its recording, so this bounds what one slow send adds to the lag of the others.
     */
    private static final Duration RECORD_AFTER = Duration.ofMillis(200);

    private final JdbcLanes lanes;
    private final JdbcDeliveries deliveries;
    private final JdbcEndpoints endpoints;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final WorkSignal signal;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final WebhookSettings settings;
    /** Sends in flight on this node, across passes: at most {@code optledger.webhooks.concurrency}. */
    private final Semaphore slots;

    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    /** Sends that ended after their pass recorded, for the next pass to record with its own. */
    private final Queue<Sent> late = new ConcurrentLinkedQueue<>();

    DeliveryWorker(
            JdbcLanes lanes,
            JdbcDeliveries deliveries,
            JdbcEndpoints endpoints,
            WebhookSender sender,
            WebhookMetrics metrics,
            WorkSignal signal,
            TransactionTemplate tx,
            Clock clock,
            WebhookSettings settings) {
        this.lanes = lanes;
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.sender = sender;
        this.metrics = metrics;
        this.signal = signal;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
        this.slots = new Semaphore(settings.concurrency());
    }

    /** An endpoint's key. */
    private record EndpointKey(long workspaceId, String id) {}

    /** One attempt made in a pass: the lane's head, the endpoint as the pass read it, and what the receiver did. */
    private record Sent(Lane lane, Endpoint endpoint, Delivery delivery, WebhookSender.Result result) {}

    /**
     * The sends of one pass: those that end before the pass records are recorded with it, those that end later (a slow
     * receiver) wait for the next pass to record them, so one slow endpoint does not hold back the next pass.
     */
    private final class PassSends {
        private final List<Sent> done = new ArrayList<>();
        private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
        private int running;
        private boolean closed;

        synchronized void started() {
            running++;
        }

        /** A send ended: kept for the pass if it has not recorded yet, else for the next pass to record. */
        void ended(@Nullable Sent sent, @Nullable RuntimeException error) {
            synchronized (this) {
                running--;
                if (!closed) {
                    if (sent != null) {
                        done.add(sent);
                    } else {
                        failure.compareAndSet(null, error);
                    }
                    notifyAll();
                    return;
                }
            }
            if (sent == null) {
                log.warn(
                        "A webhook send failed after its pass was recorded; its lane is taken again once its lease ends",
                        error);
                return;
            }
            late.add(sent);
            // an idle loop wakes to record it
            signal.signal();
        }

        /** Waits until every send ended or the deadline passed; answers the sends that ended, and closes the pass. */
        synchronized List<Sent> close(long deadlineNanos) throws InterruptedException {
            long left;
            while (running > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            closed = true;
            return List.copyOf(done);
        }
    }

    /**
     * Delivers the heads of up to a pass's worth of due lanes, and records the sends of earlier passes that ended
     * since; answers how many it sent or recorded.
     */
    int deliverDue() throws Exception {
        Instant now = clock.instant();
        List<Claimed> claimed = lanes.claimWithHeads(now, now.plus(settings.lease()), settings.passSize());
        if (claimed.isEmpty()) {
            List<Sent> ended = endedLate();
            if (!ended.isEmpty()) {
                record(ended, List.of());
            }
            return ended.size();
        }
        long passStart = System.nanoTime();
        // an attempt takes at most the timeout (at most half the lease): sends that start later than this would end
        // too near the lease's end for the outcome to be recorded under the claim; their lanes wait for the next pass
        long startBy = passStart
                + settings.lease().minus(settings.timeout()).dividedBy(2).toNanos();
        Map<EndpointKey, Optional<Endpoint>> read = new HashMap<>();
        List<Lane> settled = new ArrayList<>();
        PassSends pass = new PassSends();
        int started = 0;
        for (Claimed claim : claimed) {
            Lane lane = claim.lane();
            Delivery head = claim.head();
            EndpointKey key = new EndpointKey(lane.workspaceId(), lane.endpointId());
            Optional<Endpoint> endpoint = read.computeIfAbsent(
                    key, k -> endpoints.find(k.workspaceId(), k.id()).filter(Endpoint::enabled));
            if (head == null || endpoint.isEmpty() || head.nextAttemptAt().isAfter(now)) {
                // nothing to send now: the lane's due time is set again from its head (or none), its claim given back
                settled.add(lane);
                continue;
            }
            slots.acquire();
            if (System.nanoTime() > startBy) {
                slots.release();
                settled.add(lane);
                continue;
            }
            pass.started();
            started++;
            sends.submit(() -> {
                Sent sent = null;
                RuntimeException error = null;
                try {
                    sent = new Sent(lane, endpoint.get(), head, sender.send(endpoint.get(), head.id(), head.body()));
                } catch (RuntimeException e) {
                    // its lane is left claimed, to be taken again once its lease ends
                    error = e;
                } finally {
                    slots.release();
                }
                pass.ended(sent, error);
            });
        }
        List<Sent> ended = new ArrayList<>(pass.close(passStart + RECORD_AFTER.toNanos()));
        ended.addAll(endedLate());
        record(ended, settled);
        Exception failure = pass.failure.get();
        if (failure != null) {
            throw failure;
        }
        return started;
    }

    /** The sends that ended after their passes recorded, taken for this pass to record. */
    private List<Sent> endedLate() {
        List<Sent> ended = new ArrayList<>();
        for (Sent sent; (sent = late.poll()) != null; ) {
            ended.add(sent);
        }
        return ended;
    }

    /**
     * Records the pass in one transaction: the endpoints' health, then, on the lanes still held under their claims,
     * every attempt made with its delivery's outcome, and each lane's next due time with its claim given back. Attempts
     * on lanes whose claim was lost are recorded, and nothing more of them.
     */
    private void record(List<Sent> sent, List<Lane> settled) {
        Instant now = clock.instant();
        Map<EndpointKey, List<Sent>> byEndpoint = new LinkedHashMap<>();
        for (Sent s : sent) {
            byEndpoint
                    .computeIfAbsent(
                            new EndpointKey(s.lane().workspaceId(), s.lane().endpointId()), k -> new ArrayList<>())
                    .add(s);
        }
        // in the order of sent
        List<Outcome> outcomes = new ArrayList<>();
        List<Delivery> givenUp = new ArrayList<>();
        for (Sent s : sent) {
            Attempt attempt = s.result().attempt();
            Delivery delivery = s.delivery();
            if (attempt.delivered()) {
                outcomes.add(new Outcome(delivery, attempt, Delivery.Status.DELIVERED, now, now));
            } else if (!now.isBefore(delivery.retryUntil())) {
                outcomes.add(new Outcome(delivery, attempt, Delivery.Status.FAILED, now, now));
                givenUp.add(delivery);
            } else {
                Instant next =
                        now.plus(backoff(delivery.attempts() + 1, s.result().retryAfter()));
                Instant last = next.isAfter(delivery.retryUntil()) ? delivery.retryUntil() : next;
                outcomes.add(new Outcome(delivery, attempt, Delivery.Status.PENDING, last, null));
            }
        }
        List<Lane> all = new ArrayList<>(settled);
        sent.forEach(s -> all.add(s.lane()));
        tx.executeWithoutResult(status -> {
            // endpoints, then lanes, then deliveries: the order every transaction that writes them takes
            byEndpoint.values().forEach(this::health);
            Set<Lane> ours = lanes.lockClaimed(all);
            List<Outcome> recorded = new ArrayList<>();
            List<AttemptOf> attemptsOnly = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Sent s = sent.get(i);
                if (ours.contains(s.lane())) {
                    recorded.add(outcomes.get(i));
                } else {
                    log.warn(
                            "Webhook {} to endpoint {} was attempted after its lane's claim was lost",
                            s.delivery().id(),
                            s.lane().endpointId());
                    attemptsOnly.add(new AttemptOf(
                            s.lane().workspaceId(),
                            s.delivery().id(),
                            s.result().attempt()));
                }
            }
            // the attempts of lanes still ours go on their deliveries' rows with the outcomes, the others only
            // among the attempts
            deliveries.insertAttempts(attemptsOnly);
            deliveries.recordOutcomes(recorded);
            lanes.settle(ours);
        });
        for (Sent s : sent) {
            if (s.result().attempt().delivered()) {
                metrics.delivered(s.delivery(), now);
            } else {
                metrics.failed(s.delivery());
            }
        }
        givenUp.forEach(metrics::givenUp);
    }

    /**
     * Keeps the endpoint's health from a pass's attempts at it, in the caller's transaction: a 410 disables it; else a
     * success ends a failing streak; else (every attempt failed) the streak goes on, and disables it once longer than
     * {@code disable-after}. One write at most per endpoint and pass, and none while it is healthy.
     */
    private void health(List<Sent> attempts) {
        Endpoint endpoint = attempts.getFirst().endpoint();
        Instant now = clock.instant();
        boolean gone = attempts.stream().anyMatch(s -> {
            Integer status = s.result().attempt().statusCode();
            return status != null && status == 410;
        });
        if (gone) {
            if (endpoints.disable(
                    endpoint.workspaceId(),
                    endpoint.id(),
                    "the receiver answered 410 Gone at " + now + ": it asked for no more webhooks",
                    false,
                    now)) {
                log.warn("Webhook endpoint {} disabled: it answered 410 Gone", endpoint.id());
            }
            return;
        }
        if (attempts.stream().anyMatch(s -> s.result().attempt().delivered())) {
            if (endpoint.failingSince() != null) {
                endpoints.succeeded(endpoint.workspaceId(), endpoint.id());
            }
            return;
        }
        Attempt lastFailed = attempts.getLast().result().attempt();
        Optional<Instant> failingSince =
                endpoints.failed(endpoint.workspaceId(), endpoint.id(), now, now.minus(settings.disableAfter()));
        if (failingSince.isPresent()
                && endpoints.disable(
                        endpoint.workspaceId(),
                        endpoint.id(),
                        "every attempt failed since " + failingSince.get() + " (longer than " + settings.disableAfter()
                                + "); the last: " + lastFailed.error(),
                        false,
                        now)) {
            log.warn("Webhook endpoint {} disabled: failing since {}", endpoint.id(), failingSince.get());
        }
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

    /** Sends still in flight are abandoned: their lanes stay claimed until their leases end, then go to another pass. */
    @Override
    public void destroy() {
        sends.shutdownNow();
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
        if (deliverDue() > 0) {
            // a lane's next delivery may be due now: look again at once
            return true;
        }
        signal.await(settings.pollInterval());
        return true;
    }
}
