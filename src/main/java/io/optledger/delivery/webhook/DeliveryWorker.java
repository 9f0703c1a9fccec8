package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.PassSends.Sent;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

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

    /** Longer than the slowest pass: its sends all start within half the lease, each ending within the timeout. */
    private static final Duration STALL_AFTER = Duration.ofMinutes(20);
    /**
     * How long a pass waits for its sends before it records those that ended: a healthy receiver answers well within
     * it, and a slow one's attempts are recorded by a later pass, while the next passes go on. Every delivery a pass
     * claimed waits for its recording, so this bounds what one slow send adds to the lag of the others.
     */
    private static final Duration RECORD_AFTER = Duration.ofMillis(200);

    private final JdbcLanes lanes;
    private final JdbcEndpoints endpoints;
    private final WebhookSender sender;
    private final WorkSignal signal;
    private final PassRecorder recorder;
    private final Clock clock;
    private final WebhookSettings settings;
    /** Sends in flight on this node, across passes: at most {@code optledger.webhooks.concurrency}. */
    private final Semaphore slots;

    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final LateSends late;

    DeliveryWorker(
            JdbcLanes lanes,
            JdbcEndpoints endpoints,
            WebhookSender sender,
            WorkSignal signal,
            PassRecorder recorder,
            Clock clock,
            WebhookSettings settings) {
        this.lanes = lanes;
        this.endpoints = endpoints;
        this.sender = sender;
        this.signal = signal;
        this.recorder = recorder;
        this.clock = clock;
        this.settings = settings;
        this.slots = new Semaphore(settings.concurrency());
        this.late = new LateSends(signal);
    }

    /**
     * Delivers the heads of up to a pass's worth of due lanes, and records the sends of earlier passes that ended
     * since; answers how many it sent or recorded.
     */
    int deliverDue() throws Exception {
        Instant now = clock.instant();
        List<Claimed> claimed = lanes.claimWithHeads(now, now.plus(settings.lease()), settings.passSize());
        if (claimed.isEmpty()) {
            List<Sent> ended = late.take();
            if (!ended.isEmpty()) {
                recorder.record(ended, List.of());
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
        PassSends pass = new PassSends(late);
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
        ended.addAll(late.take());
        recorder.record(ended, settled);
        Exception failure = pass.failure();
        if (failure != null) {
            throw failure;
        }
        return started;
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
