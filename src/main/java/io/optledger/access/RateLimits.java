package io.optledger.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Per-key request rate limits: a token bucket per (key, bucket name) holding at most one second of requests and
 * refilling continuously. Kept per node: behind N nodes a key gets up to N times the limit.
 */
@Component
public class RateLimits {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    /** The answer for one request: allowed or not, the limit, what is left, and when to retry. */
    public record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds) {}

    /** Takes one request from the key's bucket of this name, which allows {@code perSecond} requests a second. */
    public Decision take(String keyId, String bucket, int perSecond) {
        return buckets.get(keyId + "|" + bucket + "|" + perSecond, ignored -> new Bucket(perSecond))
                .take(System.nanoTime());
    }

    private static final class Bucket {
        private final int perSecond;
        private double tokens;
        private long refilledAt;

        Bucket(int perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
            this.refilledAt = System.nanoTime();
        }

        synchronized Decision take(long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return new Decision(true, perSecond, (int) tokens, 0);
            }
            return new Decision(false, perSecond, 0, 1);
        }
    }
}
