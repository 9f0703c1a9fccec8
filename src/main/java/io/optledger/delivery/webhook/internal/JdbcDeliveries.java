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

/**
 * Webhook deliveries in PostgreSQL, read with their attempts: a ping inserted, an endpoint's deliveries found and
 * listed, one reopened. The attempts and their outcomes are recorded by {@link JdbcAttempts}.
 */
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
