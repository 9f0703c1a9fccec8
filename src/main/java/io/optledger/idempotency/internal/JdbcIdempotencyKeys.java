package io.optledger.idempotency.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Idempotency keys in PostgreSQL. */
@Repository
public class JdbcIdempotencyKeys {

    private static final String INSERT = """
            insert into idempotency_keys (workspace_id, key, request_hash, created_at)
            values (:workspaceId, :key, :requestHash, :now)
            on conflict do nothing
            """;
    private static final String SELECT = """
            select request_hash, response_status, response_body, created_at from idempotency_keys
            where workspace_id = :workspaceId and key = :key
            """;
    private static final String TAKE_OVER = """
            update idempotency_keys set created_at = :now, request_hash = :requestHash
            where workspace_id = :workspaceId and key = :key and response_status is null and created_at = :seen
            """;
    // completing and releasing are fenced by the claim: its time, which a takeover replaces
    private static final String COMPLETE = """
            update idempotency_keys set response_status = :status, response_body = :body, completed_at = :now
            where workspace_id = :workspaceId and key = :key and response_status is null and created_at = :claimedAt
            """;
    private static final String DELETE_PENDING = """
            delete from idempotency_keys
            where workspace_id = :workspaceId and key = :key and response_status is null and created_at = :claimedAt
            """;
    private static final String NO_FLUSH_WAIT = "set local synchronous_commit = off";
    private static final String DELETE_OLDER = "delete from idempotency_keys where created_at < :before";

    /** A stored key. */
    public record Row(
            byte[] requestHash,
            @Nullable Integer status,
            @Nullable String body,
            Instant createdAt) {}

    private final JdbcClient jdbc;

    JdbcIdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The current transaction's commit does not wait for its WAL to reach the disk (it is visible to other transactions
     * at once all the same). For a claim: a later durable commit (the change that completes the key) flushes the claim
     * with it, and a claim lost in a crash before that was never used, so its retry is rightly processed afresh.
     */
    public void commitWithoutFlushWait() {
        jdbc.sql(NO_FLUSH_WAIT).update();
    }

    public boolean insert(long workspaceId, String key, byte[] requestHash, Instant now) {
        return jdbc.sql(INSERT)
                        .param("workspaceId", workspaceId)
                        .param("key", key)
                        .param("requestHash", requestHash)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    public Optional<Row> find(long workspaceId, String key) {
        return jdbc.sql(SELECT)
                .param("workspaceId", workspaceId)
                .param("key", key)
                .query((rs, n) -> new Row(
                        rs.getBytes("request_hash"),
                        (Integer) rs.getObject("response_status"),
                        rs.getString("response_body"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    public boolean takeOver(long workspaceId, String key, Instant seen, byte[] requestHash, Instant now) {
        return jdbc.sql(TAKE_OVER)
                        .param("workspaceId", workspaceId)
                        .param("key", key)
                        .param("seen", Timestamp.from(seen))
                        .param("requestHash", requestHash)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** False when the claim made at {@code claimedAt} is no longer the key's (taken over, or released). */
    public boolean complete(long workspaceId, String key, Instant claimedAt, int status, String body, Instant now) {
        return jdbc.sql(COMPLETE)
                        .param("workspaceId", workspaceId)
                        .param("key", key)
                        .param("claimedAt", Timestamp.from(claimedAt))
                        .param("status", status)
                        .param("body", body)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    public void deletePending(long workspaceId, String key, Instant claimedAt) {
        jdbc.sql(DELETE_PENDING)
                .param("workspaceId", workspaceId)
                .param("key", key)
                .param("claimedAt", Timestamp.from(claimedAt))
                .update();
    }

    public int deleteOlderThan(Instant before) {
        return jdbc.sql(DELETE_OLDER).param("before", Timestamp.from(before)).update();
    }
}
