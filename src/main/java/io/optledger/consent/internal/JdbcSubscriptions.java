package io.optledger.consent.internal;

import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.consent.TopicSubscriptions;
import io.optledger.contact.Channel;
import io.optledger.platform.PositionalStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Current subscription state in PostgreSQL: a projection of the ledger, written in the same transaction. */
@Repository
public class JdbcSubscriptions {

    private static final String COLUMNS =
            "contact_id, channel, address, topic_key, status, suspended_until, occurred_at, source, updated_at, deleted,"
                    + " properties::text as properties";
    static final String SELECT_OF_CONTACTS = "select " + COLUMNS
            + " from subscriptions where workspace_id = :workspaceId and contact_id = any(:ids::bigint[])"
            + " order by contact_id, channel, address, topic_key";
    private static final String SELECT_AT_ADDRESSES = "select s."
            + COLUMNS.replace(", ", ", s.")
            + " from subscriptions s join unnest(:channels::text[], :addresses::text[]) as wanted(channel, address)"
            + " on s.channel = wanted.channel and s.address = wanted.address where s.workspace_id = :workspaceId";
    // an eligibility check the cache cannot answer: on its generic plan, as PostgreSQL otherwise plans it afresh on
    // every call (planning took as long as running it, 0.08 ms each for one address on PostgreSQL 15)
    private static final PositionalStatement AT_ADDRESSES = PositionalStatement.onGenericPlans(SELECT_AT_ADDRESSES);

    // a topic's subscriptions after a cursor, optionally on one channel, in one status, or of the contacts whose
    // attribute has a value (Altcraft's database of a profile)
    private static final String TOPIC_FILTER = """
             from subscriptions s
            where s.workspace_id = :workspaceId and s.topic_key = :topic
              and (cast(:channel as text) is null or s.channel = :channel)
              and (cast(:status as text) is null or s.status = :status)
              and (cast(:attribute as text) is null or exists (
                select 1 from contacts c
                 where c.workspace_id = s.workspace_id and c.id = s.contact_id
                   and c.attributes ->> cast(:attribute as text) = :attributeValue))
            """;
    private static final String SELECT_OF_TOPIC = "select s.id, s."
            + COLUMNS.replace(", ", ", s.")
            + TOPIC_FILTER
            + " and s.id > :afterId order by s.id limit :limit";
    private static final String COUNT_OF_TOPIC = "select count(*)" + TOPIC_FILTER;

    private static final TypeReference<Map<String, Object>> PROPERTIES = new TypeReference<>() {};

    private static final String DELETE_OF_CONTACT =
            "delete from subscriptions where workspace_id = :workspaceId and contact_id = :contactId";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    JdbcSubscriptions(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    public List<Subscription> findOfContacts(long workspaceId, Collection<Long> contactIds) {
        return jdbc.sql(SELECT_OF_CONTACTS)
                .param("workspaceId", workspaceId)
                .param("ids", contactIds.toArray(Long[]::new))
                .query(this::map)
                .list();
    }

    /** Every subscription, to any topic, at any of the given (channel, address) pairs. */
    public List<Subscription> findAtAddresses(long workspaceId, List<Channel> channels, List<String> addresses) {
        PositionalStatement.Values values = AT_ADDRESSES
                .values()
                .set("workspaceId", workspaceId)
                .set("channels", channels.stream().map(Channel::name).toArray(String[]::new))
                .set("addresses", addresses.toArray(String[]::new));
        return Objects.requireNonNull(values.execute(template, statement -> {
            List<Subscription> found = new ArrayList<>();
            try (ResultSet rs = PositionalStatement.nextRows(statement)) {
                while (rs.next()) {
                    found.add(map(rs, found.size()));
                }
            }
            return found;
        }));
    }

    /** A page of a topic's subscriptions, each with its id: the last id is the cursor of the next page. */
    public List<Map.Entry<Long, Subscription>> findOfTopic(TopicSubscriptions which, long afterId, int limit) {
        return bind(jdbc.sql(SELECT_OF_TOPIC), which)
                .param("afterId", afterId)
                .param("limit", limit)
                .query((rs, row) -> Map.entry(rs.getLong("id"), map(rs, row)))
                .list();
    }

    public long countOfTopic(TopicSubscriptions which) {
        return bind(jdbc.sql(COUNT_OF_TOPIC), which).query(Long.class).single();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, TopicSubscriptions which) {
        return statement
                .param("workspaceId", which.workspaceId())
                .param("topic", which.topic())
                .param(
                        "channel",
                        which.channel() == null ? null : which.channel().name())
                .param("status", which.status() == null ? null : which.status().name())
                .param("attribute", which.contactAttribute())
                .param("attributeValue", which.contactAttributeValue());
    }

    static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Most subscriptions have no properties: no parse for those. */
    private Map<String, Object> properties(String text) {
        return "{}".equals(text) ? Map.of() : json.readValue(text, PROPERTIES);
    }

    /**
     * The row mapper itself: a caller that maps many rows calls it directly, not through this repository's proxy (whose
     * interceptors cost more per call than the mapping).
     */
    RowMapper<Subscription> mapper() {
        return this::map;
    }

    Subscription map(ResultSet rs, int row) throws SQLException {
        return new Subscription(
                rs.getLong("contact_id"),
                Channel.valueOf(rs.getString("channel")),
                rs.getString("address"),
                rs.getString("topic_key"),
                Status.valueOf(rs.getString("status")),
                instant(rs.getTimestamp("suspended_until")),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("source"),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getBoolean("deleted"),
                properties(rs.getString("properties")));
    }

    /** Removes every subscription of the contact: its erasure, after which the ledger replays to none. */
    public int deleteOfContact(long workspaceId, long contactId) {
        return jdbc.sql(DELETE_OF_CONTACT)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .update();
    }
}
