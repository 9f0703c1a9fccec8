package io.optledger.idempotency;

import io.optledger.idempotency.internal.JdbcIdempotencyKeys;
import io.optledger.idempotency.internal.JdbcIdempotencyKeys.Row;
import io.optledger.platform.Hashing;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.SupervisedLoop;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /** Claims the key in a transaction of its own, so concurrent retries see the claim at once. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Claim claim(long workspaceId, String key, byte[] requestBody) {
        if (key.isEmpty() || key.length() > 255) {
            throw new InvalidInput("Idempotency-Key", "an idempotency key is 1 to 255 characters");
        }
        byte[] hash = Hashing.sha256(requestBody);
        Instant now = clock.instant();
        if (keys.insert(workspaceId, key, hash, now)) {
            return new Claim.Fresh();
        }
        Optional<Row> found = keys.find(workspaceId, key);
        if (found.isEmpty()) {
            // released between our insert and our read: the earlier request failed, so this one may go
            return keys.insert(workspaceId, key, hash, now) ? new Claim.Fresh() : new Claim.InFlight();
        }
        Row row = found.get();
        if (row.status() == null) {
            // in flight, whatever its body; unless its request died, and then this one takes the key over
            boolean abandoned = row.createdAt().plus(ABANDONED_AFTER).isBefore(now);
            return abandoned && keys.takeOver(workspaceId, key, row.createdAt(), hash, now)
                    ? new Claim.Fresh()
                    : new Claim.InFlight();
        }
        if (!MessageDigest.isEqual(row.requestHash(), hash)) {
            return new Claim.Mismatch();
        }
        return new Claim.Replay(row.status(), row.body());
    }

    /** Stores the response; call it inside the transaction that made the change, so both commit or neither. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void complete(long workspaceId, String key, int status, String body) {
        keys.complete(workspaceId, key, status, body, clock.instant());
    }

    /** Frees a claim whose request failed without a change, so a retry is processed afresh. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void release(long workspaceId, String key) {
        keys.deletePending(workspaceId, key);
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
