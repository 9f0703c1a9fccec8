package io.optledger.contact.internal;

import io.optledger.contact.Contact;
import io.optledger.contact.Identifier;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    // many new contacts in one round trip; their ids come back in no particular order, which a new contact does not
    // need
    private static final String INSERT_CONTACTS = """
            insert into contacts (workspace_id, attributes, created_at, updated_at)
            select :workspaceId, '{}', :now, :now from generate_series(1, :count)
            returning id
            """;
    // rows go in in the order given (the caller's canonical order); a value a concurrent transaction holds makes this
    // one wait for that transaction's end, and is then skipped if it committed
    private static final String INSERT_IDENTIFIERS = """
            insert into identifiers (workspace_id, name, value, contact_id, created_at)
            select :workspaceId, i.name, i.value, i.contact_id, :now
            from unnest(:names::text[], :values::text[], :ids::bigint[]) with ordinality as i(name, value, contact_id, n)
            order by i.n
            on conflict do nothing
            returning name, value
            """;
    private static final String DELETE_NEW_CONTACTS = """
            delete from contacts c
            where c.workspace_id = :workspaceId and c.id = any(:ids::bigint[])
              and not exists (select 1 from identifiers i where i.workspace_id = c.workspace_id and i.contact_id = c.id)
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

    /** Inserts {@code count} contacts without identifiers or attributes; their ids. */
    public List<Long> insertContacts(long workspaceId, int count, Instant now) {
        return jdbc.sql(INSERT_CONTACTS)
                .param("workspaceId", workspaceId)
                .param("count", count)
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .list();
    }

    /**
     * Inserts each identifier for the contact id at the same index, in the order given, skipping those that already
     * exist; the identifiers inserted.
     */
    public Set<Identifier> insertIdentifiers(
            long workspaceId, List<Identifier> identifiers, List<Long> contactIds, Instant now) {
        Set<Identifier> inserted = new HashSet<>();
        jdbc.sql(INSERT_IDENTIFIERS)
                .param("workspaceId", workspaceId)
                .param("names", identifiers.stream().map(Identifier::name).toArray(String[]::new))
                .param("values", identifiers.stream().map(Identifier::value).toArray(String[]::new))
                .param("ids", contactIds.toArray(Long[]::new))
                .param("now", Timestamp.from(now))
                .query(rs -> {
                    inserted.add(new Identifier(rs.getString("name"), rs.getString("value")));
                });
        return inserted;
    }

    /** Deletes those of the given contacts that have no identifier: ones this transaction created and did not use. */
    public void deleteUnidentified(long workspaceId, Collection<Long> ids) {
        jdbc.sql(DELETE_NEW_CONTACTS)
                .param("workspaceId", workspaceId)
                .param("ids", ids.toArray(Long[]::new))
                .update();
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
