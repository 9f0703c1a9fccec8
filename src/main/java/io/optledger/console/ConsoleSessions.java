package io.optledger.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The console's sessions, in this node's memory: a session ends after {@code optledger.console.idle-timeout} without a
 * request, on sign-out, or when the node restarts. Behind a load balancer, route {@code /console} with sticky sessions
 * (docs/console.md).
 */
@Component
class ConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cache<String, ConsoleSession> sessions;
    private final Clock clock;
    private final Duration idleTimeout;

    ConsoleSessions(
            Clock clock,
            @Value("${optledger.console.idle-timeout:30m}") Duration idleTimeout,
            @Value("${optledger.console.max-sessions:10000}") long maxSessions) {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("optledger.console.idle-timeout must be positive: " + idleTimeout);
        }
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.sessions = Caffeine.newBuilder()
                .expireAfterAccess(idleTimeout)
                .maximumSize(maxSessions)
                .build();
    }

    ConsoleSession open(String apiKey, long workspaceId, String keyId) {
        ConsoleSession session = new ConsoleSession(token(), apiKey, workspaceId, keyId, token(), clock.instant());
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session a cookie names; finding it counts as activity. */
    Optional<ConsoleSession> find(String id) {
        return Optional.ofNullable(sessions.getIfPresent(id));
    }

    void close(String id) {
        sessions.invalidate(id);
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    /** 256 random bits, URL-safe: a session id or a form token. */
    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
