package io.optledger.consent.internal;

import io.optledger.consent.ConsentExports.EventFilter;
import io.optledger.consent.ConsentExports.ExportedSubscription;
import io.optledger.consent.ConsentExports.SubscriptionFilter;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.contact.Channel;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whole-workspace reads for exports, each one statement read through a server-side cursor (a fetch size inside a
 * read-only transaction), so that no more than a fetch of rows is ever held.
 */
@Repository
public class JdbcConsentExports {

    private static final int FETCH = 1_000;

    private static final String SELECT_SUBSCRIPTIONS = """
            select s.contact_id, s.channel, s.address, s.topic_key, s.status, s.suspended_until, s.occurred_at,
                s.source, s.updated_at, s.deleted, s.properties::text as properties,
                (select coalesce(jsonb_object_agg(i.name, i.value), '{}')::text from identifiers i
                  where i.workspace_id = s.workspace_id and i.contact_id = s.contact_id) as identifiers
            from subscriptions s
            where s.workspace_id = :workspaceId
              and (cast(:topic as text) is null or s.topic_key = :topic)
              and (cast(:channel as text) is null or s.channel = :channel)
              and (cast(:status as text) is null or s.status = :status)
              and (cast(:changedSince as timestamptz) is null or s.updated_at >= :changedSince)
            order by s.contact_id, s.channel, s.address, s.topic_key
            """;
    private static final String SELECT_EVENTS = "select " + JdbcLedger.EVENT_COLUMNS + """
             from consent_events
            where workspace_id = :workspaceId
              and (cast(:contactId as bigint) is null or contact_id = :contactId)
              and (cast(:from as timestamptz) is null or recorded_at >= :from)
              and (cast(:to as timestamptz) is null or recorded_at < :to)
            order by contact_id, seq
            """;
    private static final TypeReference<Map<String, Object>> PROPERTIES = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> IDENTIFIERS = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final JdbcLedger ledger;
    private final JsonMapper json;

    JdbcConsentExports(
            DataSource dataSource, PlatformTransactionManager transactions, JdbcLedger ledger, JsonMapper json) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH);
        this.jdbc = new NamedParameterJdbcTemplate(template);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.ledger = ledger;
        this.json = json;
    }

    public void subscriptions(SubscriptionFilter filter, Consumer<ExportedSubscription> sink) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("workspaceId", filter.workspaceId())
                .addValue("topic", filter.topic())
                .addValue(
                        "channel",
                        filter.channel() == null ? null : filter.channel().name())
                .addValue(
                        "status",
                        filter.status() == null ? null : filter.status().name())
                .addValue("changedSince", timestamp(filter.changedSince()));
        stream(
                SELECT_SUBSCRIPTIONS,
                params,
                rs -> sink.accept(new ExportedSubscription(
                        new Subscription(
                                rs.getLong("contact_id"),
                                Channel.valueOf(rs.getString("channel")),
                                rs.getString("address"),
                                rs.getString("topic_key"),
                                Status.valueOf(rs.getString("status")),
                                JdbcSubscriptions.instant(rs.getTimestamp("suspended_until")),
                                rs.getTimestamp("occurred_at").toInstant(),
                                rs.getString("source"),
                                rs.getTimestamp("updated_at").toInstant(),
                                rs.getBoolean("deleted"),
                                json.readValue(rs.getString("properties"), PROPERTIES)),
                        json.readValue(rs.getString("identifiers"), IDENTIFIERS))));
    }

    public void events(EventFilter filter, Consumer<ConsentEvent> sink) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("workspaceId", filter.workspaceId())
                .addValue("contactId", filter.contactId())
                .addValue("from", timestamp(filter.from()))
                .addValue("to", timestamp(filter.to()));
        stream(SELECT_EVENTS, params, rs -> sink.accept(ledger.map(rs, 0)));
    }

    private void stream(String sql, MapSqlParameterSource params, RowCallbackHandler rows) {
        readOnly.executeWithoutResult(status -> {
            // a large export is one long statement: the pool's 30 s statement timeout is for requests, not for it
            jdbc.getJdbcTemplate().execute("set local statement_timeout = 0");
            jdbc.query(sql, params, rows);
        });
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
