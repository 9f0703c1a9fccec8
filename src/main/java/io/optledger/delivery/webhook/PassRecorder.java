package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.Delivery.Attempt;
import io.optledger.delivery.webhook.PassSends.Sent;
import io.optledger.delivery.webhook.internal.JdbcAttempts;
import io.optledger.delivery.webhook.internal.JdbcAttempts.AttemptOf;
import io.optledger.delivery.webhook.internal.JdbcAttempts.Outcome;
import io.optledger.delivery.webhook.internal.JdbcEndpoints;
import io.optledger.delivery.webhook.internal.JdbcLanes;
import io.optledger.delivery.webhook.internal.JdbcLanes.Lane;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Records a delivery pass: its attempts, their deliveries' outcomes and retries, the endpoints' health, the lanes. */
@Component
class PassRecorder {

    /** Logged as DeliveryWorker: the delivery loop's lines keep one logger name, whichever class writes them. */
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final JdbcLanes lanes;
    private final JdbcAttempts attempts;
    private final JdbcEndpoints endpoints;
    private final WebhookMetrics metrics;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final WebhookSettings settings;

    PassRecorder(
            JdbcLanes lanes,
            JdbcAttempts attempts,
            JdbcEndpoints endpoints,
            WebhookMetrics metrics,
            TransactionTemplate tx,
            Clock clock,
            WebhookSettings settings) {
        this.lanes = lanes;
        this.attempts = attempts;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Records the pass in one transaction: the endpoints' health, then, on the lanes still held under their claims,
     * every attempt made with its delivery's outcome, and each lane's next due time with its claim given back. Attempts
     * on lanes whose claim was lost are recorded, and nothing more of them.
     */
    void record(List<Sent> sent, List<Lane> settled) {
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
            attempts.insertAttempts(attemptsOnly);
            attempts.recordOutcomes(recorded);
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
}
