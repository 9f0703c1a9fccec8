package io.optledger.consent.internal;

import io.optledger.consent.Subscription;
import io.optledger.consent.internal.JdbcLedger.ChainHead;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.platform.PositionalStatement;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The round trip a consent batch starts with: it locks the batch's contacts and reads their chain heads, addresses and
 * subscriptions. What the batch decides is written by {@link JdbcConsentWrite}.
 */
@Repository
public class JdbcConsentBatch {

    // Locks the contacts in id order (no deadlocks between batches). NO KEY UPDATE is the lock the later update of the
    // chain head takes anyway, and unlike FOR UPDATE it lets other transactions' foreign-key checks on the contact
    // through. What the batch decides from is read by the statements after this one (READ and the subscriptions), sent
    // with it in one round trip: each takes its snapshot when it starts, after the locks were granted. A row lock that
    // had to wait re-reads the locked row but not rows joined to it, which would still be those of the snapshot taken
    // before the wait: the subscriptions (found by ConcurrentChangesTests against PostgreSQL 15), and the contact's
    // ledger key, which a batch that held the lock may have just made (a duplicate key, found by the benchmark).
    private static final String LOCK = """
            select c.id from contacts c
            where c.workspace_id = :workspaceId and c.id = any(:ids::bigint[]) and c.erased_at is null
            order by c.id
            for no key update of c
            """;

    // each locked contact's chain head, own email and phone (the default channel addresses, from the contact module's
    // identifiers), ledger commitment key, and the attributes the batches' conditions name (none: null)
    private static final String READ = """
            select c.id, c.ledger_seq, c.ledger_hash,
                (select i.value from identifiers i
                  where i.workspace_id = c.workspace_id and i.contact_id = c.id and i.name = 'email') as email,
                (select i.value from identifiers i
                  where i.workspace_id = c.workspace_id and i.contact_id = c.id and i.name = 'phone') as phone,
                (select k.key from contact_ledger_keys k
                  where k.workspace_id = c.workspace_id and k.contact_id = c.id) as ledger_key,
                case when cardinality(:attributes::text[]) > 0 then
                    array(select c.attributes ->> a.name
                          from unnest(:attributes::text[]) with ordinality as a(name, n) order by a.n)
                end as attributes
            from contacts c
            where c.workspace_id = :workspaceId and c.id = any(:ids::bigint[]) and c.erased_at is null
            """;

    // On their generic plans, as JdbcConsentWrite's WRITE: PostgreSQL replanned both on every commit
    // (docs/write-path.md)
    private static final PositionalStatement LOCK_AND_READ =
            PositionalStatement.onGenericPlans(LOCK + ";\n" + READ + ";\n" + JdbcSubscriptions.SELECT_OF_CONTACTS);

    // under the contact's lock, so no other batch makes a key for it at the same time
    private static final String NEW_KEYS = """
            insert into contact_ledger_keys (workspace_id, contact_id, key)
            select :workspaceId, k.contact_id, decode(k.key, 'hex')
            from unnest(:contacts::bigint[], :keys::text[]) as k(contact_id, key)
            """;

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JdbcSubscriptions subscriptions;

    JdbcConsentBatch(JdbcClient jdbc, JdbcTemplate template, JdbcSubscriptions subscriptions) {
        this.jdbc = jdbc;
        this.template = template;
        this.subscriptions = subscriptions;
    }

    /**
     * What the lock read: chain heads of the contacts that exist (and are not erased), their own addresses, their
     * subscriptions, the key each one's ledger commitments are made with (made here for a contact that had none), and
     * the values of the attributes asked for (absent where a contact has none).
     */
    public record Locked(
            Map<Long, ChainHead> heads,
            Map<Long, Map<String, String>> ownAddresses,
            List<Subscription> subscriptions,
            Map<Long, byte[]> ledgerKeys,
            Map<Long, Map<String, String>> attributes) {}

    /**
     * Locks the contacts and reads what {@link Locked} holds: one round trip for the lock and the reads (three
     * statements, the reads' snapshots taken after the locks were granted), one more only for contacts that have no
     * ledger key yet.
     */
    public Locked lock(long workspaceId, Collection<Long> contactIds, List<String> attributeNames) {
        Map<Long, ChainHead> heads = new HashMap<>();
        Map<Long, Map<String, String>> addresses = new HashMap<>();
        Map<Long, byte[]> keys = new HashMap<>();
        Map<Long, byte[]> made = new HashMap<>();
        Map<Long, Map<String, String>> attributes = new HashMap<>();
        List<Subscription> found = new ArrayList<>();
        PositionalStatement.Values values = LOCK_AND_READ
                .values()
                .set("workspaceId", workspaceId)
                .set("ids", contactIds.toArray(Long[]::new))
                .set("attributes", attributeNames.toArray(String[]::new));
        values.execute(template, (PreparedStatementCallback<@Nullable Void>) statement -> {
            Set<Long> locked = new HashSet<>();
            try (ResultSet rs = PositionalStatement.nextRows(statement)) {
                while (rs.next()) {
                    locked.add(rs.getLong("id"));
                }
            }
            try (ResultSet rs = PositionalStatement.nextRows(statement)) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    if (!locked.contains(id)) {
                        continue;
                    }
                    byte[] hash = rs.getBytes("ledger_hash");
                    heads.put(
                            id,
                            new ChainHead(
                                    rs.getLong("ledger_seq"), hash == null ? LedgerHash.GENESIS : HEX.formatHex(hash)));
                    Map<String, String> own = new HashMap<>(2);
                    putIfPresent(own, "email", rs.getString("email"));
                    putIfPresent(own, "phone", rs.getString("phone"));
                    addresses.put(id, own);
                    byte[] key = rs.getBytes("ledger_key");
                    if (key == null) {
                        key = new byte[32];
                        RANDOM.nextBytes(key);
                        made.put(id, key);
                    }
                    keys.put(id, key);
                    if (!attributeNames.isEmpty()) {
                        attributes.put(id, named(attributeNames, (String[])
                                rs.getArray("attributes").getArray()));
                    }
                }
            }
            RowMapper<Subscription> mapper = subscriptions.mapper();
            try (ResultSet rs = PositionalStatement.nextRows(statement)) {
                int row = 0;
                while (rs.next()) {
                    Subscription subscription = mapper.mapRow(rs, row++);
                    // only the locked contacts' (an erased or unknown contact's are not this batch's to change)
                    if (locked.contains(subscription.contactId())) {
                        found.add(subscription);
                    }
                }
            }
            return null;
        });
        if (!made.isEmpty()) {
            List<Map.Entry<Long, byte[]>> m = new ArrayList<>(made.entrySet());
            jdbc.sql(NEW_KEYS)
                    .param("workspaceId", workspaceId)
                    .param("contacts", m.stream().map(Map.Entry::getKey).toArray(Long[]::new))
                    .param(
                            "keys",
                            m.stream().map(x -> HEX.formatHex(x.getValue())).toArray(String[]::new))
                    .update();
        }
        return new Locked(heads, addresses, found, keys, attributes);
    }

    /** The attribute values the read answered in the order of their names, by name; a contact's absent ones left out. */
    private static Map<String, String> named(List<String> names, String[] values) {
        Map<String, String> named = new HashMap<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            putIfPresent(named, names.get(i), values[i]);
        }
        return named;
    }

    private static void putIfPresent(Map<String, String> map, String key, @Nullable String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
