package io.optledger.delivery.webhook.internal;

import static io.optledger.delivery.webhook.internal.JdbcEndpoints.instant;

import io.optledger.delivery.webhook.Delivery;
import io.optledger.delivery.webhook.Delivery.Attempt;
import io.optledger.delivery.webhook.EventType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Webhook deliveries and their attempts in PostgreSQL. */
@Repository
public class JdbcDeliveries {

    static final String COLUMNS = "workspace_id, id, endpoint_id, contact_id, seq, event_type, body, status,"
            + " attempts, next_attempt_at, retry_until, created_at, finished_at, last_status, last_error,"
            + " last_attempt_at, last_latency_ms, last_response";
    private static final String INSERT_PING = """
            insert into webhook_deliveries (workspace_id, id, endpoint_id, event_type, body, status, next_attempt_at,
                retry_until, created_at)
            values (:workspaceId, :id, :endpointId, :eventType, :body, 'PENDING', :now, :now, :now)
            """;
    private static final String SELECT = "select " + COLUMNS
            + " from webhook_deliveries where workspace_id = :workspaceId and endpoint_id = :endpointId and id = :id";
    // newest first by time: ids are random
    private static final String LIST = "select " + COLUMNS + """
             from webhook_deliveries
            where workspace_id = :workspaceId and endpoint_id = :endpointId
                and (cast(:status as text) is null or status = :status)
                and (cast(:before as text) is null or (created_at, id) < (
                    select created_at, id from webhook_deliveries where workspace_id = :workspaceId and id = :before))
            order by created_at desc, id desc
            limit :limit
            """;
    private static final String ATTEMPTS = """
            select delivery_id, started_at, status_code, latency_ms, error, response from webhook_attempts
            where workspace_id = :workspaceId and delivery_id = any(:ids::text[])
            order by delivery_id, started_at, id
            """;
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
    private static final String REOPEN = """
            update webhook_deliveries set status = 'PENDING', next_attempt_at = :now, retry_until = :retryUntil,
                finished_at = null
            where workspace_id = :workspaceId and endpoint_id = :endpointId and id = :id and contact_id is not null
            """;

    private final JdbcClient jdbc;

    JdbcDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insertPing(long workspaceId, String id, String endpointId, String body, Instant now) {
        jdbc.sql(INSERT_PING)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .param("endpointId", endpointId)
                .param("eventType", EventType.WEBHOOK_TEST.value())
                .param("body", body)
                .param("now", Timestamp.from(now))
                .update();
    }

    public Optional<Delivery> find(long workspaceId, String endpointId, String id) {
        return jdbc.sql(SELECT)
                .param("workspaceId", workspaceId)
                .param("endpointId", endpointId)
                .param("id", id)
                .query(JdbcDeliveries::map)
                .optional()
                .map(delivery -> withAttempts(workspaceId, List.of(delivery)).getFirst());
    }

    /** A page of an endpoint's deliveries, newest first, each with its attempts; {@code before} is a delivery id. */
    public List<Delivery> list(
            long workspaceId, String endpointId, Delivery.@Nullable Status status, @Nullable String before, int limit) {
        List<Delivery> page = jdbc.sql(LIST)
                .param("workspaceId", workspaceId)
                .param("endpointId", endpointId)
                .param("status", status == null ? null : status.name())
                .param("before", before)
                .param("limit", limit)
                .query(JdbcDeliveries::map)
                .list();
        return withAttempts(workspaceId, page);
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

    /** Inserts the attempts in one statement. */
    public void insertAttempts(List<AttemptOf> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        jdbc.sql(INSERT_ATTEMPTS)
                .param(
                        "workspaceIds",
                        attempts.stream().map(AttemptOf::workspaceId).toArray(Long[]::new))
                .param(
                        "deliveryIds",
                        attempts.stream().map(AttemptOf::deliveryId).toArray(String[]::new))
                .param(
                        "ats",
                        attempts.stream().map(a -> a.attempt().at().toString()).toArray(String[]::new))
                .param(
                        "statusCodes",
                        attempts.stream().map(a -> a.attempt().statusCode()).toArray(Integer[]::new))
                .param(
                        "latencies",
                        attempts.stream()
                                .map(a -> (int) Math.min(a.attempt().latencyMs(), Integer.MAX_VALUE))
                                .toArray(Integer[]::new))
                .param("errors", attempts.stream().map(a -> a.attempt().error()).toArray(String[]::new))
                .param(
                        "responses",
                        attempts.stream().map(a -> a.attempt().response()).toArray(String[]::new))
                .update();
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
        List<String> movedOn = jdbc.sql(OUTCOMES)
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
                                .toArray(String[]::new))
                .param(
                        "ats",
                        outcomes.stream().map(o -> o.attempt().at().toString()).toArray(String[]::new))
                .param(
                        "statusCodes",
                        outcomes.stream().map(o -> o.attempt().statusCode()).toArray(Integer[]::new))
                .param(
                        "latencies",
                        outcomes.stream()
                                .map(o -> (int) Math.min(o.attempt().latencyMs(), Integer.MAX_VALUE))
                                .toArray(Integer[]::new))
                .param("errors", outcomes.stream().map(o -> o.attempt().error()).toArray(String[]::new))
                .param(
                        "responses",
                        outcomes.stream().map(o -> o.attempt().response()).toArray(String[]::new))
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

    /** Makes a delivery of a lane pending again, due now, retried until {@code retryUntil}; false when none. */
    public boolean reopen(long workspaceId, String endpointId, String id, Instant now, Instant retryUntil) {
        return jdbc.sql(REOPEN)
                        .param("workspaceId", workspaceId)
                        .param("endpointId", endpointId)
                        .param("id", id)
                        .param("now", Timestamp.from(now))
                        .param("retryUntil", Timestamp.from(retryUntil))
                        .update()
                == 1;
    }

    private List<Delivery> withAttempts(long workspaceId, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return deliveries;
        }
        Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
        jdbc.sql(ATTEMPTS)
                .param("workspaceId", workspaceId)
                .param("ids", deliveries.stream().map(Delivery::id).toArray(String[]::new))
                .query(rs -> {
                    attempts.computeIfAbsent(rs.getString("delivery_id"), id -> new ArrayList<>())
                            .add(new Attempt(
                                    rs.getTimestamp("started_at").toInstant(),
                                    rs.getObject("status_code", Integer.class),
                                    rs.getLong("latency_ms"),
                                    rs.getString("error"),
                                    rs.getString("response")));
                });
        // the row's own attempt (map) is the latest: after those moved out of it
        return deliveries.stream()
                .map(delivery -> {
                    List<Attempt> earlier = attempts.get(delivery.id());
                    if (earlier == null) {
                        return delivery;
                    }
                    List<Attempt> all = new ArrayList<>(earlier);
                    all.addAll(delivery.attemptLog());
                    return delivery.withAttempts(all);
                })
                .toList();
    }

    static Delivery map(ResultSet rs, int row) throws SQLException {
        return new Delivery(
                rs.getLong("workspace_id"),
                rs.getString("id"),
                rs.getString("endpoint_id"),
                rs.getObject("contact_id", Long.class),
                rs.getObject("seq", Long.class),
                EventType.of(rs.getString("event_type")),
                rs.getString("body"),
                Delivery.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(),
                rs.getTimestamp("retry_until").toInstant(),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs, "finished_at"),
                rs.getObject("last_status", Integer.class),
                rs.getString("last_error"),
                latest(rs));
    }

    /** The attempt the row holds, its latest; none on a row last attempted before V42 (all in webhook_attempts). */
    private static List<Attempt> latest(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp("last_attempt_at");
        if (at == null) {
            return List.of();
        }
        return List.of(new Attempt(
                at.toInstant(),
                rs.getObject("last_status", Integer.class),
                rs.getLong("last_latency_ms"),
                rs.getString("last_error"),
                rs.getString("last_response")));
    }
}
