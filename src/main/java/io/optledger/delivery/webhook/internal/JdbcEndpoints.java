package io.optledger.delivery.webhook.internal;

import io.optledger.contact.Channel;
import io.optledger.delivery.webhook.Endpoint;
import io.optledger.delivery.webhook.EventType;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Webhook endpoints in PostgreSQL. Deleted ones are invisible here; the pruner removes them. */
@Repository
public class JdbcEndpoints {

    private static final String COLUMNS = "workspace_id, id, url, description, enabled, event_types, topics, channels,"
            + " secret, previous_secret, previous_secret_until, failing_since, disabled_reason, disabled_at,"
            + " created_at, updated_at";
    private static final String INSERT = """
            insert into webhook_endpoints (workspace_id, id, url, description, enabled, event_types, topics, channels,
                secret, disabled_reason, disabled_at, created_at, updated_at)
            values (:workspaceId, :id, :url, :description, :enabled, :eventTypes::text[], :topics::text[],
                :channels::text[], :secret, :disabledReason, :disabledAt, :now, :now)
            """;
    private static final String SELECT = "select " + COLUMNS + " from webhook_endpoints"
            + " where workspace_id = :workspaceId and id = :id and deleted_at is null";
    private static final String LIST = "select " + COLUMNS + " from webhook_endpoints"
            + " where workspace_id = :workspaceId and deleted_at is null order by created_at, id";
    private static final String COUNT =
            "select count(*) from webhook_endpoints where workspace_id = :workspaceId and deleted_at is null";
    private static final String ENABLED_IN = "select " + COLUMNS + " from webhook_endpoints"
            + " where workspace_id = any(:workspaceIds::bigint[]) and enabled and deleted_at is null";
    private static final String UPDATE = """
            update webhook_endpoints set url = :url, description = :description, event_types = :eventTypes::text[],
                topics = :topics::text[], channels = :channels::text[], updated_at = :now
            where workspace_id = :workspaceId and id = :id and deleted_at is null
            """;
    private static final String ROTATE = """
            update webhook_endpoints set previous_secret = secret, previous_secret_until = :until, secret = :secret,
                updated_at = :now
            where workspace_id = :workspaceId and id = :id and deleted_at is null
            """;
    // Disabling stops the endpoint's lanes (the claim never scans them); enabling starts every lane with a pending
    // delivery again, lanes the pruner removed meanwhile included. The endpoint row is written first, then the lanes,
    // in every transaction that writes both, so that none deadlocks with another.
    private static final String DISABLE = """
            update webhook_endpoints set enabled = false, disabled_reason = :reason, disabled_at = :now,
                updated_at = :now, deleted_at = case when :delete then :now else deleted_at end
            where workspace_id = :workspaceId and id = :id and deleted_at is null and (enabled or :delete)
            """;
    private static final String PAUSE_LANES = """
            update webhook_lanes l set due_at = null
            from (select workspace_id, endpoint_id, contact_id from webhook_lanes
                  where workspace_id = :workspaceId and endpoint_id = :id
                  order by contact_id
                  for update) locked
            where l.workspace_id = locked.workspace_id and l.endpoint_id = locked.endpoint_id
                and l.contact_id = locked.contact_id
            """;
    private static final String ENABLE = """
            update webhook_endpoints set enabled = true, disabled_reason = null, disabled_at = null,
                failing_since = null, updated_at = :now
            where workspace_id = :workspaceId and id = :id and deleted_at is null and not enabled
            """;
    private static final String RESUME_LANES = """
            insert into webhook_lanes (workspace_id, endpoint_id, contact_id, due_at)
            select distinct workspace_id, endpoint_id, contact_id, cast(:now as timestamptz) from webhook_deliveries
            where workspace_id = :workspaceId and endpoint_id = :id and status = 'PENDING' and contact_id is not null
            order by 1, 2, 3
            on conflict (workspace_id, endpoint_id, contact_id) do update set due_at = excluded.due_at
            """;
    private static final String FAILING = """
            update webhook_endpoints set failing_since = :now
            where workspace_id = :workspaceId and id = :id and failing_since is null
            """;
    private static final String FAILING_SINCE = """
            select failing_since from webhook_endpoints
            where workspace_id = :workspaceId and id = :id and enabled and failing_since <= :cutoff
            """;
    private static final String SUCCEEDED = """
            update webhook_endpoints set failing_since = null
            where workspace_id = :workspaceId and id = :id and failing_since is not null
            """;

    private final JdbcClient jdbc;

    JdbcEndpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Endpoint endpoint) {
        jdbc.sql(INSERT)
                .param("workspaceId", endpoint.workspaceId())
                .param("id", endpoint.id())
                .param("url", endpoint.url().toString())
                .param("description", endpoint.description())
                .param("enabled", endpoint.enabled())
                .param("eventTypes", types(endpoint.eventTypes()))
                .param("topics", endpoint.topics().stream().sorted().toArray(String[]::new))
                .param("channels", channels(endpoint.channels()))
                .param("secret", endpoint.secret())
                .param("disabledReason", endpoint.disabledReason())
                .param("disabledAt", endpoint.disabledAt() == null ? null : Timestamp.from(endpoint.disabledAt()))
                .param("now", Timestamp.from(endpoint.createdAt()))
                .update();
    }

    public Optional<Endpoint> find(long workspaceId, String id) {
        return jdbc.sql(SELECT)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .query(JdbcEndpoints::map)
                .optional();
    }

    /** The endpoint read under its row's lock, for a change made from what it is now. */
    public Optional<Endpoint> lock(long workspaceId, String id) {
        return jdbc.sql(SELECT + " for no key update")
                .param("workspaceId", workspaceId)
                .param("id", id)
                .query(JdbcEndpoints::map)
                .optional();
    }

    public List<Endpoint> list(long workspaceId) {
        return jdbc.sql(LIST)
                .param("workspaceId", workspaceId)
                .query(JdbcEndpoints::map)
                .list();
    }

    public long count(long workspaceId) {
        return jdbc.sql(COUNT)
                .param("workspaceId", workspaceId)
                .query(Long.class)
                .single();
    }

    /** The enabled endpoints of these workspaces. */
    public List<Endpoint> enabledIn(Collection<Long> workspaceIds) {
        return jdbc.sql(ENABLED_IN)
                .param("workspaceIds", workspaceIds.toArray(Long[]::new))
                .query(JdbcEndpoints::map)
                .list();
    }

    /** Writes the URL, description and filters. */
    public void update(Endpoint endpoint, Instant now) {
        jdbc.sql(UPDATE)
                .param("workspaceId", endpoint.workspaceId())
                .param("id", endpoint.id())
                .param("url", endpoint.url().toString())
                .param("description", endpoint.description())
                .param("eventTypes", types(endpoint.eventTypes()))
                .param("topics", endpoint.topics().stream().sorted().toArray(String[]::new))
                .param("channels", channels(endpoint.channels()))
                .param("now", Timestamp.from(now))
                .update();
    }

    /** The new secret signs from now on, the current one beside it until {@code until}. */
    public boolean rotate(long workspaceId, String id, String secret, Instant until, Instant now) {
        return jdbc.sql(ROTATE)
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .param("secret", secret)
                        .param("until", Timestamp.from(until))
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** Disables (or deletes) the endpoint and pauses its lanes; false when it was disabled already. */
    public boolean disable(long workspaceId, String id, @Nullable String reason, boolean delete, Instant now) {
        boolean changed = jdbc.sql(DISABLE)
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .param("reason", reason)
                        .param("delete", delete)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
        if (changed) {
            jdbc.sql(PAUSE_LANES)
                    .param("workspaceId", workspaceId)
                    .param("id", id)
                    .update();
        }
        return changed;
    }

    /** Enables the endpoint and makes each of its lanes with a pending delivery due now; false when it was enabled. */
    public boolean enable(long workspaceId, String id, Instant now) {
        boolean changed = jdbc.sql(ENABLE)
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
        if (changed) {
            jdbc.sql(RESUME_LANES)
                    .param("workspaceId", workspaceId)
                    .param("id", id)
                    .param("now", Timestamp.from(now))
                    .update();
        }
        return changed;
    }

    /** Notes a failed attempt; answers since when every attempt has failed, if that is at or before {@code cutoff}. */
    public Optional<Instant> failed(long workspaceId, String id, Instant now, Instant cutoff) {
        jdbc.sql(FAILING)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .param("now", Timestamp.from(now))
                .update();
        return jdbc.sql(FAILING_SINCE)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .param("cutoff", Timestamp.from(cutoff))
                .query((rs, row) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    public void succeeded(long workspaceId, String id) {
        jdbc.sql(SUCCEEDED).param("workspaceId", workspaceId).param("id", id).update();
    }

    private static String[] types(Set<EventType> types) {
        return types.stream().map(EventType::value).sorted().toArray(String[]::new);
    }

    private static String[] channels(Set<Channel> channels) {
        return channels.stream().map(Channel::name).sorted().toArray(String[]::new);
    }

    static Endpoint map(ResultSet rs, int row) throws SQLException {
        return new Endpoint(
                rs.getLong("workspace_id"),
                rs.getString("id"),
                URI.create(rs.getString("url")),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                strings(rs.getArray("event_types")).stream().map(EventType::of).collect(Collectors.toSet()),
                Set.copyOf(strings(rs.getArray("topics"))),
                strings(rs.getArray("channels")).stream().map(Channel::valueOf).collect(Collectors.toSet()),
                rs.getString("secret"),
                rs.getString("previous_secret"),
                instant(rs, "previous_secret_until"),
                instant(rs, "failing_since"),
                rs.getString("disabled_reason"),
                instant(rs, "disabled_at"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
