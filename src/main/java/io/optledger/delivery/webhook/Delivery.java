package io.optledger.delivery.webhook;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One event for one endpoint, and every attempt to deliver it. {@code id} is the {@code webhook-id} header, the same
 * on every attempt. {@code contactId} and {@code seq} are null for a test ping.
 */
public record Delivery(
        long workspaceId,
        String id,
        String endpointId,
        @Nullable Long contactId,
        @Nullable Long seq,
        EventType eventType,
        String body,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        Instant retryUntil,
        Instant createdAt,
        @Nullable Instant finishedAt,
        @Nullable Integer lastStatus,
        @Nullable String lastError,
        List<Attempt> attemptLog) {

    /** PENDING until delivered (a 2xx) or given up (FAILED: still failing when its retries ran out). */
    public enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }

    public Delivery {
        attemptLog = List.copyOf(attemptLog);
    }

    public Delivery withAttempts(List<Attempt> attempts) {
        return new Delivery(
                workspaceId,
                id,
                endpointId,
                contactId,
                seq,
                eventType,
                body,
                status,
                this.attempts,
                nextAttemptAt,
                retryUntil,
                createdAt,
                finishedAt,
                lastStatus,
                lastError,
                attempts);
    }

    /**
     * One attempt: when it started, the status answered (null when none was: a timeout, a refused connection or
     * destination), how long it took, what went wrong, and the first 1 KiB of the answer's body.
     */
    public record Attempt(
            Instant at,
            @Nullable Integer statusCode,
            long latencyMs,
            @Nullable String error,
            @Nullable String response) {

        public boolean delivered() {
            return statusCode != null && statusCode / 100 == 2;
        }
    }
}
