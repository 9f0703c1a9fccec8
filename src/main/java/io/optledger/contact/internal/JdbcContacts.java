package io.optledger.contact.internal;

import io.optledger.contact.Contact;
import io.optledger.contact.Identifier;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Contacts and identifiers in PostgreSQL. */
@Repository
public class JdbcContacts {

    private static final String DELETE_IDENTIFIER = """
            delete from identifiers
            where workspace_id = :workspaceId and name = :name and value = :value and contact_id = :contactId
            """;
    private static final String INSERT_CONTACT = """
            insert into contacts (workspace_id, attributes, created_at, updated_at)
            values (:workspaceId, :attributes::jsonb, :now, :now)
            returning id
            """;
    private static final String INSERT_IDENTIFIER = """
            insert into identifiers (workspace_id, name, value, contact_id, created_at)
            values (:workspaceId, :name, :value, :contactId, :now)
            on conflict do nothing
            """;
    private static final String MERGE_ATTRIBUTES = """
            update contacts set attributes = attributes || :attributes::jsonb, updated_at = :now
            where workspace_id = :workspaceId and id = :id
            """;
    private static final String SELECT_CONTACT = """
            select id, attributes::text as attributes, created_at, updated_at
            from contacts where workspace_id = :workspaceId and id = :id
            """;
    private static final String SELECT_IDENTIFIERS_OF = """
            select name, value from identifiers where workspace_id = :workspaceId and contact_id = :id
            """;
    private static final String SELECT_IDENTIFIERS_OF_NAMED = """
            select i.contact_id, i.name, i.value
            from identifiers i
            where i.workspace_id = :workspaceId
              and i.contact_id in (
                select named.contact_id
                from identifiers named
                join unnest(:names::text[], :values::text[]) as wanted(name, value)
                  on named.name = wanted.name and named.value = wanted.value
                where named.workspace_id = :workspaceId
                union all
                select unnest(:ids::bigint[]))
            """;
    private static final String SELECT_IDS_WITH_ATTRIBUTE = """
            select id from contacts
            where workspace_id = :workspaceId and attributes ->> cast(:name as text) = :value and id > :afterId
            order by id limit :limit
            """;
    private static final String SELECT_ATTRIBUTE_OF = """
            select id, attributes ->> cast(:name as text) as value from contacts
            where workspace_id = :workspaceId and id = any(:ids::bigint[])
            """;
    private static final String SELECT_IDS_BY_IDENTIFIER = """
            select i.name, i.value, i.contact_id
            from identifiers i
            join unnest(:names::text[], :values::text[]) as wanted(name, value)
              on i.name = wanted.name and i.value = wanted.value
            where i.workspace_id = :workspaceId
            """;

    // a loose index scan: the few identifier names by the primary key, then each (name, value) as a point lookup,
    // so a search by value alone costs a handful of index probes, never a scan of the workspace's identifiers
    private static final String SELECT_IDS_BY_VALUE = """
            with recursive names(name) as (
                (select name from identifiers where workspace_id = :workspaceId order by name limit 1)
                union all
                select (select i.name from identifiers i
                        where i.workspace_id = :workspaceId and i.name > n.name order by i.name limit 1)
                from names n where n.name is not null)
            select distinct i.contact_id
            from names n
            join identifiers i
              on i.workspace_id = :workspaceId and i.name = n.name and i.value = any(:values::text[])
            limit :limit
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    JdbcContacts(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public long insertContact(long workspaceId, Map<String, Object> attributes, Instant now) {
        return jdbc.sql(INSERT_CONTACT)
                .param("workspaceId", workspaceId)
                .param("attributes", json.writeValueAsString(attributes))
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
    }

    /** False when the identifier already exists (possibly inserted by a concurrent request). */
    public boolean deleteIdentifier(long workspaceId, long contactId, Identifier identifier) {
        return jdbc.sql(DELETE_IDENTIFIER)
                        .param("workspaceId", workspaceId)
                        .param("contactId", contactId)
                        .param("name", identifier.name())
                        .param("value", identifier.value())
                        .update()
                > 0;
    }

    public boolean insertIdentifier(long workspaceId, Identifier identifier, long contactId, Instant now) {
        return jdbc.sql(INSERT_IDENTIFIER)
                        .param("workspaceId", workspaceId)
                        .param("name", identifier.name())
                        .param("value", identifier.value())
                        .param("contactId", contactId)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    public void mergeAttributes(long workspaceId, long id, Map<String, Object> attributes, Instant now) {
        jdbc.sql(MERGE_ATTRIBUTES)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .param("attributes", json.writeValueAsString(attributes))
                .param("now", Timestamp.from(now))
                .update();
    }

    public Optional<Contact> findById(long workspaceId, long id) {
        Map<String, String> identifiers = new LinkedHashMap<>();
        jdbc.sql(SELECT_IDENTIFIERS_OF)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .query(rs -> {
                    identifiers.put(rs.getString("name"), rs.getString("value"));
                });
        return jdbc.sql(SELECT_CONTACT)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .query((rs, row) -> new Contact(
                        rs.getLong("id"),
                        workspaceId,
                        identifiers,
                        json.readValue(rs.getString("attributes"), new TypeReference<Map<String, Object>>() {}),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("updated_at").toInstant()))
                .optional();
    }

    /**
     * The identifiers by name of every contact that one of the identifiers names or one of the ids is, in one round
     * trip; ids of no contact in the workspace are absent.
     */
    public Map<Long, Map<String, String>> findIdentifiersOfNamed(
            long workspaceId, Collection<Identifier> identifiers, Collection<Long> ids) {
        Map<Long, Map<String, String>> found = new HashMap<>();
        if (identifiers.isEmpty() && ids.isEmpty()) {
            return found;
        }
        jdbc.sql(SELECT_IDENTIFIERS_OF_NAMED)
                .param("workspaceId", workspaceId)
                .param("names", identifiers.stream().map(Identifier::name).toArray(String[]::new))
                .param("values", identifiers.stream().map(Identifier::value).toArray(String[]::new))
                .param("ids", ids.toArray(Long[]::new))
                .query(rs -> {
                    found.computeIfAbsent(rs.getLong("contact_id"), id -> new LinkedHashMap<>())
                            .put(rs.getString("name"), rs.getString("value"));
                });
        return found;
    }

    /** The contacts that hold one of the values under any identifier name, at most {@code limit}. */
    public List<Long> findIdsByValue(long workspaceId, Collection<String> values, int limit) {
        return jdbc.sql(SELECT_IDS_BY_VALUE)
                .param("workspaceId", workspaceId)
                .param("values", values.toArray(String[]::new))
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    public List<Long> findIdsWithAttribute(long workspaceId, String name, String value, long afterId, int limit) {
        return jdbc.sql(SELECT_IDS_WITH_ATTRIBUTE)
                .param("workspaceId", workspaceId)
                .param("name", name)
                .param("value", value)
                .param("afterId", afterId)
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    public Map<Long, String> findAttributeOf(long workspaceId, Collection<Long> ids, String name) {
        Map<Long, String> found = new HashMap<>();
        jdbc.sql(SELECT_ATTRIBUTE_OF)
                .param("workspaceId", workspaceId)
                .param("ids", ids.toArray(Long[]::new))
                .param("name", name)
                .query(rs -> {
                    String value = rs.getString("value");
                    if (value != null) {
                        found.put(rs.getLong("id"), value);
                    }
                });
        return found;
    }

    public Map<Identifier, Long> findIdsByIdentifier(long workspaceId, Collection<Identifier> identifiers) {
        Map<Identifier, Long> found = new HashMap<>();
        if (identifiers.isEmpty()) {
            return found;
        }
        jdbc.sql(SELECT_IDS_BY_IDENTIFIER)
                .param("workspaceId", workspaceId)
                .param("names", identifiers.stream().map(Identifier::name).toArray(String[]::new))
                .param("values", identifiers.stream().map(Identifier::value).toArray(String[]::new))
                .query(rs -> {
                    found.put(new Identifier(rs.getString("name"), rs.getString("value")), rs.getLong("contact_id"));
                });
        return found;
    }
}
