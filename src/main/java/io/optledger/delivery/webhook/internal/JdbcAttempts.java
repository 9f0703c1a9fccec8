package io.optledger.delivery.webhook.internal;

import io.optledger.delivery.webhook.Delivery;
import io.optledger.delivery.webhook.Delivery.Attempt;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The attempts made at webhook deliveries, recorded in PostgreSQL: each with its delivery's outcome on the delivery's
 * row, fenced by the attempt count read before sending, or only among the delivery's attempts (when it moved on since,
 * or its lane's claim was lost). {@link JdbcDeliveries} reads them back with their deliveries.
 */
@Repository
public class JdbcAttempts {

    private static final String INSERT_ATTEMPTS = """
            insert into webhook_attempts (workspace_id, delivery_id, started_at, status_code, latency_ms, error, response)
            select * from unnest(:workspaceIds::bigint[], :deliveryIds::text[], :ats::timestamptz[],
                :statusCodes::int[], :latencies::int[], :errors::text[], :responses::text[])
            """;
    // Each attempt goes on its delivery's row (V42), fenced by the attempt count read before sending: a delivery
    // someone else moved on since is left alone. The attempt the row held before, if any, moves to webhook_attempts
    // (read in the statement's snapshot: the row as it was), so a first attempt that delivers writes no attempt row.
    // "Still pending" is finished_at is null (every write sets the two together), not status = 'PENDING': that would
    // let the planner take the head index (V42), partial on it, and on statistics that count pending deliveries as
    // none (a quiet moment, or none yet) it did, reading every pending delivery of the workspace for each outcome.
    // Answers the deliveries whose attempt was not put on their row.
    private static final String OUTCOMES = """
            with o as (
                select * from unnest(:workspaceIds::bigint[], :ids::text[], :attempts::int[], :statuses::text[],
                    :nexts::timestamptz[], :finishedAts::timestamptz[], :ats::timestamptz[], :statusCodes::int[],
                    :latencies::int[], :errors::text[], :responses::text[])
                    as o(workspace_id, id, attempts, status, next, finished_at, at, status_code, latency_ms, error,
                        response)
            ), recorded as (
                update webhook_deliveries d set status = o.status, attempts = d.attempts + 1, next_attempt_at = o.next,
                    finished_at = o.finished_at, last_attempt_at = o.at, last_status = o.status_code,
                    last_latency_ms = o.latency_ms, last_error = o.error, last_response = o.response
                from o
                where d.workspace_id = o.workspace_id and d.id = o.id and d.finished_at is null
                    and d.attempts = o.attempts
                returning d.workspace_id, d.id
            ), earlier as (
                insert into webhook_attempts (workspace_id, delivery_id, started_at, status_code, latency_ms, error,
                    response)
                select p.workspace_id, p.id, p.last_attempt_at, p.last_status, p.last_latency_ms, p.last_error,
                    p.last_response
                from o join recorded r on r.workspace_id = o.workspace_id and r.id = o.id
                join webhook_deliveries p on p.workspace_id = o.workspace_id and p.id = o.id
                where o.attempts > 0 and p.last_attempt_at is not null
            )
            select o.workspace_id, o.id from o
            where not exists (select 1 from recorded r where r.workspace_id = o.workspace_id and r.id = o.id)
            """;

    private final JdbcClient jdbc;

    JdbcAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An attempt at a delivery, as {@link #insertAttempts(List)} records it. */
    public record AttemptOf(long workspaceId, String deliveryId, Attempt attempt) {}

    /** What an attempt made of a delivery read with {@code delivery.attempts()} attempts, for {@link #recordOutcomes}. */
    public record Outcome(
            Delivery delivery,
            Attempt attempt,
            Delivery.Status status,
            Instant next,
            @Nullable Instant finishedAt) {}

    /** Binds the attempt columns both statements take, one array each, in the attempts' order. */
    private static JdbcClient.StatementSpec withAttempts(JdbcClient.StatementSpec statement, List<Attempt> attempts) {
        return statement
                .param("ats", attempts.stream().map(a -> a.at().toString()).toArray(String[]::new))
                .param("statusCodes", attempts.stream().map(Attempt::statusCode).toArray(Integer[]::new))
                .param(
                        "latencies",
                        attempts.stream()
                                .map(a -> (int) Math.min(a.latencyMs(), Integer.MAX_VALUE))
                                .toArray(Integer[]::new))
                .param("errors", attempts.stream().map(Attempt::error).toArray(String[]::new))
                .param("responses", attempts.stream().map(Attempt::response).toArray(String[]::new));
    }

    /** Inserts the attempts in one statement. */
    public void insertAttempts(List<AttemptOf> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        JdbcClient.StatementSpec insert = jdbc.sql(INSERT_ATTEMPTS)
                .param(
                        "workspaceIds",
                        attempts.stream().map(AttemptOf::workspaceId).toArray(Long[]::new))
                .param(
                        "deliveryIds",
                        attempts.stream().map(AttemptOf::deliveryId).toArray(String[]::new));
        withAttempts(insert, attempts.stream().map(AttemptOf::attempt).toList()).update();
    }

    /**
     * Records the outcomes in one statement: each attempt on its delivery's row, the one the row held before moved to
     * the attempts, and the delivery DELIVERED, FAILED (given up) or still PENDING until {@code next}, unless it moved
     * on since it was read with {@code delivery.attempts()} attempts: then the attempt is only added to its attempts.
     * Answers how many deliveries had not moved on meanwhile.
     */
    public int recordOutcomes(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        JdbcClient.StatementSpec record = jdbc.sql(OUTCOMES)
                .param(
                        "workspaceIds",
                        outcomes.stream().map(o -> o.delivery().workspaceId()).toArray(Long[]::new))
                .param("ids", outcomes.stream().map(o -> o.delivery().id()).toArray(String[]::new))
                .param(
                        "attempts",
                        outcomes.stream().map(o -> o.delivery().attempts()).toArray(Integer[]::new))
                .param("statuses", outcomes.stream().map(o -> o.status().name()).toArray(String[]::new))
                .param("nexts", outcomes.stream().map(o -> o.next().toString()).toArray(String[]::new))
                .param(
                        "finishedAts",
                        outcomes.stream()
                                .map(o -> o.finishedAt() == null
                                        ? null
                                        : o.finishedAt().toString())
                                .toArray(String[]::new));
        List<String> movedOn = withAttempts(
                        record, outcomes.stream().map(Outcome::attempt).toList())
                .query((rs, row) -> rs.getLong("workspace_id") + "/" + rs.getString("id"))
                .list();
        if (!movedOn.isEmpty()) {
            // still an attempt made: kept among the delivery's attempts, its outcome left to whoever moved it on
            Set<String> keys = new HashSet<>(movedOn);
            insertAttempts(outcomes.stream()
                    .filter(o -> keys.contains(
                            o.delivery().workspaceId() + "/" + o.delivery().id()))
                    .map(o -> new AttemptOf(
                            o.delivery().workspaceId(), o.delivery().id(), o.attempt()))
                    .toList());
        }
        return outcomes.size() - movedOn.size();
    }
}
