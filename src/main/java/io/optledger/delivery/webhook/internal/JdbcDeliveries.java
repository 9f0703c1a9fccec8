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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Webhook deliveries and their attempts in PostgreSQL. */
@Repository
public class JdbcDeliveries {

    private static final String COLUMNS = "workspace_id, id, endpoint_id, contact_id, seq, event_type, body, status,"
            + " attempts, next_attempt_at, retry_until, created_at, finished_at, last_status, last_error";
    private static final String INSERT_PING = """
            insert into webhook_deliveries (workspace_id, id, endpoint_id, event_type, body, status, next_attempt_at,
                retry_until, created_at)
            values (:workspaceId, :id, :endpointId, :eventType, :body, 'PENDING', :now, :now, :now)
            """;
    private static final String HEAD = "select " + COLUMNS + """
             from webhook_deliveries
            where workspace_id = :workspaceId and endpoint_id = :endpointId and contact_id = :contactId
                and status = 'PENDING'
            order by seq, outbox_id
            limit 1
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
    private static final String INSERT_ATTEMPT = """
            insert into webhook_attempts (workspace_id, delivery_id, started_at, status_code, latency_ms, error, response)
            values (:workspaceId, :deliveryId, :at, :statusCode, :latencyMs, :error, :response)
            """;
    // fenced by the attempt count read before sending: a delivery someone else moved on since is left alone
    private static final String OUTCOME = """
            update webhook_deliveries set status = :status, attempts = attempts + 1, next_attempt_at = :next,
                finished_at = :finishedAt, last_status = :statusCode, last_error = :error
            where workspace_id = :workspaceId and id = :id and status = 'PENDING' and attempts = :attempts
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

    /** The lane's pending delivery with the lowest seq: the only one of the lane that may be attempted. */
    public Optional<Delivery> head(long workspaceId, String endpointId, long contactId) {
        return jdbc.sql(HEAD)
                .param("workspaceId", workspaceId)
                .param("endpointId", endpointId)
                .param("contactId", contactId)
                .query(JdbcDeliveries::map)
                .optional();
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

    public void insertAttempt(long workspaceId, String deliveryId, Attempt attempt) {
        jdbc.sql(INSERT_ATTEMPT)
                .param("workspaceId", workspaceId)
                .param("deliveryId", deliveryId)
                .param("at", Timestamp.from(attempt.at()))
                .param("statusCode", attempt.statusCode())
                .param("latencyMs", (int) Math.min(attempt.latencyMs(), Integer.MAX_VALUE))
                .param("error", attempt.error())
                .param("response", attempt.response())
                .update();
    }

    /**
     * Records what the attempt made of the delivery, as read with {@code attempts} attempts before it: DELIVERED,
     * FAILED (given up) or still PENDING until {@code next}. False when the delivery had moved on meanwhile.
     */
    public boolean recordOutcome(
            Delivery delivery, Attempt attempt, Delivery.Status status, Instant next, @Nullable Instant finishedAt) {
        return jdbc.sql(OUTCOME)
                        .param("workspaceId", delivery.workspaceId())
                        .param("id", delivery.id())
                        .param("attempts", delivery.attempts())
                        .param("status", status.name())
                        .param("next", Timestamp.from(next))
                        .param("finishedAt", finishedAt == null ? null : Timestamp.from(finishedAt))
                        .param("statusCode", attempt.statusCode())
                        .param("error", attempt.error())
                        .update()
                == 1;
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
        return deliveries.stream()
                .map(delivery -> delivery.withAttempts(attempts.getOrDefault(delivery.id(), List.of())))
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
                List.of());
    }
}
