package io.optledger.messaging.internal;

import io.optledger.consent.Status;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What SMS opt-out keywords changed at a number, kept until START or UNSTOP restores it. */
@Repository
public class JdbcKeywordStops {

    // a STOP records only what it moved from receiving: a later STOP that moves a subscription again found it
    // receiving because the person chose so since (an opt-in), so its state before that STOP is the one to restore
    private static final String INSERT = """
            insert into keyword_stops (workspace_id, address, contact_id, topic_key, from_status, suspended_until,
                stopped_at)
            values (:workspaceId, :address, :contactId, :topic, :fromStatus, :suspendedUntil, :stoppedAt)
            on conflict (workspace_id, address, contact_id, topic_key) do update
                set from_status = excluded.from_status, suspended_until = excluded.suspended_until,
                    stopped_at = excluded.stopped_at
            """;
    private static final String TAKE = """
            delete from keyword_stops where workspace_id = :workspaceId and address = :address
            returning contact_id, topic_key, from_status, suspended_until, stopped_at
            """;

    /**
     * One subscription a STOP moved. {@code from} is its status before, null where it had none and its topic defaulted
     * to opted in.
     */
    public record Stopped(
            long contactId,
            String topic,
            @Nullable Status from,
            @Nullable Instant suspendedUntil,
            Instant stoppedAt) {}

    private final JdbcClient jdbc;

    JdbcKeywordStops(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(long workspaceId, String address, Stopped stopped) {
        jdbc.sql(INSERT)
                .param("workspaceId", workspaceId)
                .param("address", address)
                .param("contactId", stopped.contactId())
                .param("topic", stopped.topic())
                .param(
                        "fromStatus",
                        stopped.from() == null ? null : stopped.from().name())
                .param(
                        "suspendedUntil",
                        stopped.suspendedUntil() == null ? null : Timestamp.from(stopped.suspendedUntil()))
                .param("stoppedAt", Timestamp.from(stopped.stoppedAt()))
                .update();
    }

    /** Removes and answers what the number's STOPs changed. */
    public List<Stopped> take(long workspaceId, String address) {
        return jdbc.sql(TAKE)
                .param("workspaceId", workspaceId)
                .param("address", address)
                .query((rs, row) -> {
                    String from = rs.getString("from_status");
                    Timestamp until = rs.getTimestamp("suspended_until");
                    return new Stopped(
                            rs.getLong("contact_id"),
                            rs.getString("topic_key"),
                            from == null ? null : Status.valueOf(from),
                            until == null ? null : until.toInstant(),
                            rs.getTimestamp("stopped_at").toInstant());
                })
                .list();
    }
}
