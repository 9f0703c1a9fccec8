package io.optledger.idempotency;

import io.optledger.idempotency.internal.JdbcIdempotencyKeys;
import io.optledger.idempotency.internal.JdbcIdempotencyKeys.Row;
import io.optledger.platform.Conflict;
import io.optledger.platform.Hashing;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.SupervisedLoop;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Claims, completes and releases idempotency keys. Keys are kept for a day. */
@Service
public class IdempotencyKeys {

    /** A claim older than this without a response belongs to a request that died; a retry may take it over. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

    static final Duration RETENTION = Duration.ofHours(24);

    private final JdbcIdempotencyKeys keys;
    private final Clock clock;

    IdempotencyKeys(JdbcIdempotencyKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Claims the key in a transaction of its own, so concurrent retries see the claim at once. That commit does not
     * wait for an fsync: the change's own durable commit (which completes the key) flushes the claim with it, and a claim
     * lost in a crash before any change committed leaves the key free for the retry, as it should be. So a request with
     * a key pays one fsync, its change's, which a group commit shares.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Claim claim(long workspaceId, String key, byte[] requestBody) {
        if (key.isEmpty() || key.length() > 255) {
            throw new InvalidInput("Idempotency-Key", "an idempotency key is 1 to 255 characters");
        }
        keys.commitWithoutFlushWait();
        byte[] hash = Hashing.sha256(requestBody);
        // the claim's time is its fencing token: stored to the microsecond, as PostgreSQL keeps it
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (keys.insert(workspaceId, key, hash, now)) {
            return new Claim.Fresh(now);
        }
        Optional<Row> found = keys.find(workspaceId, key);
        if (found.isEmpty()) {
            // released between our insert and our read: the earlier request failed, so this one may go
            return keys.insert(workspaceId, key, hash, now) ? new Claim.Fresh(now) : new Claim.InFlight();
        }
        Row row = found.get();
        if (row.status() == null) {
            // in flight, whatever its body; unless its request died, and then this one takes the key over
            boolean abandoned = row.createdAt().plus(ABANDONED_AFTER).isBefore(now);
            return abandoned && keys.takeOver(workspaceId, key, row.createdAt(), hash, now)
                    ? new Claim.Fresh(now)
                    : new Claim.InFlight();
        }
        if (!MessageDigest.isEqual(row.requestHash(), hash)) {
            return new Claim.Mismatch();
        }
        return new Claim.Replay(row.status(), row.body());
    }

    /**
     * Stores the response; call it inside the transaction that made the change, so both commit or neither. When the
     * claim was taken over meanwhile (this request ran so long that a retry took the key), throws {@link ClaimLost}:
     * the transaction must roll back, so that of the two requests only the one holding the key applies.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void complete(long workspaceId, String key, Claim.Fresh claim, int status, String body) {
        if (!keys.complete(workspaceId, key, claim.claimedAt(), status, body, clock.instant())) {
            throw new ClaimLost(key);
        }
    }

    /** Frees a claim whose request failed without a change, so a retry is processed afresh; only this claim. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void release(long workspaceId, String key, Claim.Fresh claim) {
        keys.deletePending(workspaceId, key, claim.claimedAt());
    }

    /** A request's claim on its key was taken over by a retry while it ran: its change must not commit. */
    public static final class ClaimLost extends Conflict {
        ClaimLost(String key) {
            super("the Idempotency-Key '" + key + "' was taken over by a retry while this request ran; its change was"
                    + " not applied, the retry's is");
        }
    }

    void expire() {
        keys.deleteOlderThan(clock.instant().minus(RETENTION));
    }

    /** Deletes expired keys every ten minutes. */
    @Component
    static class Expiry implements SupervisedLoop {

        private final IdempotencyKeys keys;

        Expiry(IdempotencyKeys keys) {
            this.keys = keys;
        }

        @Override
        public String name() {
            return "idempotency-expiry";
        }

        @Override
        public Duration interval() {
            return Duration.ofMinutes(10);
        }

        @Override
        public Duration stallAfter() {
            return Duration.ofHours(1);
        }

        @Override
        public boolean runOnce() {
            keys.expire();
            return false;
        }
    }
}
