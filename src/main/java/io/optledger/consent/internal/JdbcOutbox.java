package io.optledger.consent.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Change events waiting for delivery, written in the transaction that made the change. */
@Repository
public class JdbcOutbox {

    private static final String INSERT = """
            insert into outbox (workspace_id, contact_id, event_type, payload, created_at)
            values (:workspaceId, :contactId, :type, :payload::jsonb, :createdAt)
            """;

    /** One row to enqueue. */
    public record Entry(long contactId, String type, Map<String, Object> payload) {}

    private final NamedParameterJdbcTemplate batch;
    private final JsonMapper json;

    JdbcOutbox(NamedParameterJdbcTemplate batch, JsonMapper json) {
        this.batch = batch;
        this.json = json;
    }

    public void enqueue(long workspaceId, List<Entry> entries, Instant now) {
        if (entries.isEmpty()) {
            return;
        }
        Timestamp createdAt = Timestamp.from(now);
        batch.batchUpdate(
                INSERT,
                entries.stream()
                        .map(entry -> new MapSqlParameterSource()
                                .addValue("workspaceId", workspaceId)
                                .addValue("contactId", entry.contactId())
                                .addValue("type", entry.type())
                                .addValue("payload", json.writeValueAsString(entry.payload()))
                                .addValue("createdAt", createdAt))
                        .toArray(SqlParameterSource[]::new));
    }
}
