package io.optledger.delivery.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are delivered (docs/configuration.md, docs/webhooks.md).
 *
 * @param timeout one attempt, connecting and answering included
 * @param retryFor how long a failing delivery is retried before it is given up
 * @param disableAfter how long an endpoint may fail every attempt before it is disabled
 * @param retention how long delivered and given-up deliveries are kept, with their attempts
 * @param allowPrivateNetworks true to let endpoints resolve to loopback, private and link-local addresses (tests, a
 *     receiver on the same network); never on a service whose callers are not trusted with the network
 * @param pollInterval how often each node's fan-out and delivery loops look for work when idle
 * @param lease how long a node's claim on a lane lasts before another may take it over; a delivery pass starts its
 *     sends within half of what the lease leaves after one timeout, and records them well before it ends
 * @param firstRetry the pause after the first failed attempt; it doubles after each one, with jitter
 * @param maxRetryInterval the longest pause between two attempts
 * @param concurrency the deliveries a node sends at once (each the head of its own lane)
 * @param passSize the due lanes a delivery pass claims at most: each pass costs a claim and a recording transaction,
 *     so larger passes deliver more per commit; a pass records the sends that ended within 200 ms, a later pass the rest
 */
@ConfigurationProperties("optledger.webhooks")
public record WebhookSettings(
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("24h") Duration retryFor,
        @DefaultValue("24h") Duration disableAfter,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("false") boolean allowPrivateNetworks,
        @DefaultValue("200ms") Duration pollInterval,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("5s") Duration firstRetry,
        @DefaultValue("1h") Duration maxRetryInterval,
        @DefaultValue("16") int concurrency,
        @DefaultValue("200") int passSize) {

    public WebhookSettings {
        positive("timeout", timeout);
        positive("retry-for", retryFor);
        positive("disable-after", disableAfter);
        positive("retention", retention);
        positive("poll-interval", pollInterval);
        positive("first-retry", firstRetry);
        positive("max-retry-interval", maxRetryInterval);
        if (lease.compareTo(timeout.multipliedBy(2)) < 0) {
            // a lease shorter than an attempt lets another node send the same delivery while the first still waits
            throw new IllegalArgumentException("optledger.webhooks.lease (" + lease
                    + ") must be at least twice optledger.webhooks.timeout (" + timeout + ")");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("optledger.webhooks.concurrency is 1 to 256, not " + concurrency);
        }
        if (passSize < 1 || passSize > 1000) {
            throw new IllegalArgumentException("optledger.webhooks.pass-size is 1 to 1000, not " + passSize);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("optledger.webhooks." + name + " must be positive, not " + value);
        }
    }
}
