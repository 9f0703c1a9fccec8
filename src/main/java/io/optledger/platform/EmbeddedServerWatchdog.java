package io.optledger.platform;

import java.time.Duration;

/**
 * Looks at the embedded PostgreSQL four times a second and starts it again if it died. While it is down, readiness
 * stays up (the service answers 503 with {@code Retry-After} and recovers by itself); a server that will not start
 * stalls this loop, and readiness turns DOWN.
 */
final class EmbeddedServerWatchdog implements SupervisedLoop {

    private final EmbeddedServer server;

    EmbeddedServerWatchdog(EmbeddedServer server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "embedded-postgres";
    }

    @Override
    public Duration interval() {
        return Duration.ofMillis(250);
    }

    @Override
    public Duration stallAfter() {
        // a restart may wait for an orphaned backend to exit, then replay the WAL
        return Duration.ofSeconds(90);
    }

    @Override
    public boolean runOnce() throws Exception {
        server.restartIfDead();
        return false;
    }
}
