package io.optledger.consent.internal;

import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Current subscription state in PostgreSQL: a projection of the ledger, written in the same transaction. */
@Repository
public class JdbcSubscriptions {

    private static final String COLUMNS =
            "contact_id, channel, address, topic_key, status, suspended_until, occurred_at, source, updated_at";
    private static final String SELECT_OF_CONTACTS = "select " + COLUMNS
            + " from subscriptions where workspace_id = :workspaceId and contact_id = any(:ids::bigint[])"
            + " order by contact_id, channel, address, topic_key";
    private static final String SELECT_AT_ADDRESSES = "select s."
            + COLUMNS.replace(", ", ", s.")
            + " from subscriptions s join unnest(:channels::text[], :addresses::text[]) as wanted(channel, address)"
            + " on s.channel = wanted.channel and s.address = wanted.address where s.workspace_id = :workspaceId";
    private static final String UPSERT = """
            insert into subscriptions (workspace_id, contact_id, channel, address, topic_key, status, suspended_until,
                                       occurred_at, source, updated_at)
            values (:workspaceId, :contactId, :channel, :address, :topic, :status, :suspendedUntil,
                    :occurredAt, :source, :updatedAt)
            on conflict (workspace_id, contact_id, channel, address, topic_key) do update
            set status = excluded.status, suspended_until = excluded.suspended_until,
                occurred_at = excluded.occurred_at, source = excluded.source, updated_at = excluded.updated_at
            """;

    private final JdbcClient jdbc;
    // JdbcClient has no batches; many rows in one round trip need the template underneath
    private final NamedParameterJdbcTemplate batch;

    JdbcSubscriptions(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    public List<Subscription> findOfContacts(long workspaceId, Collection<Long> contactIds) {
        return jdbc.sql(SELECT_OF_CONTACTS)
                .param("workspaceId", workspaceId)
                .param("ids", contactIds.toArray(Long[]::new))
                .query(JdbcSubscriptions::map)
                .list();
    }

    /** Every subscription, to any topic, at any of the given (channel, address) pairs. */
    public List<Subscription> findAtAddresses(long workspaceId, List<Channel> channels, List<String> addresses) {
        return jdbc.sql(SELECT_AT_ADDRESSES)
                .param("workspaceId", workspaceId)
                .param("channels", channels.stream().map(Channel::name).toArray(String[]::new))
                .param("addresses", addresses.toArray(String[]::new))
                .query(JdbcSubscriptions::map)
                .list();
    }

    public void upsert(long workspaceId, Collection<Subscription> subscriptions) {
        if (subscriptions.isEmpty()) {
            return;
        }
        SqlParameterSource[] rows = subscriptions.stream()
                .map(s -> new MapSqlParameterSource()
                        .addValue("workspaceId", workspaceId)
                        .addValue("contactId", s.contactId())
                        .addValue("channel", s.channel().name())
                        .addValue("address", s.address())
                        .addValue("topic", s.topic())
                        .addValue("status", s.status().name())
                        .addValue("suspendedUntil", timestamp(s.suspendedUntil()))
                        .addValue("occurredAt", timestamp(s.occurredAt()))
                        .addValue("source", s.source())
                        .addValue("updatedAt", timestamp(s.updatedAt())))
                .toArray(SqlParameterSource[]::new);
        batch.batchUpdate(UPSERT, rows);
    }

    static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Subscription map(ResultSet rs, int row) throws SQLException {
        return new Subscription(
                rs.getLong("contact_id"),
                Channel.valueOf(rs.getString("channel")),
                rs.getString("address"),
                rs.getString("topic_key"),
                Status.valueOf(rs.getString("status")),
                instant(rs.getTimestamp("suspended_until")),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("source"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
