package io.optledger.platform;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Reports whether node-local caches are in use: they are while the invalidation listener is live; otherwise reads go to
 * the database, slower but still correct, so this is never DOWN.
 */
@Component
class InvalidationsHealthIndicator implements HealthIndicator {

    private final Invalidations invalidations;

    InvalidationsHealthIndicator(Invalidations invalidations) {
        this.invalidations = invalidations;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("cachesLive", invalidations.isLive()).build();
    }
}
