package io.optledger.consent.internal;

import io.optledger.consent.ledger.Checkpoint;
import io.optledger.consent.ledger.CheckpointEntry;
import java.io.ByteArrayOutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The signed checkpoint log and its entries, and what the checkpoint job reads of the chains. */
@Repository
public class JdbcCheckpoints {

    // a scan of contacts once a round: an index on the condition would make every chain-head update non-HOT (V43)
    private static final String PENDING_WORKSPACES =
            "select distinct workspace_id from contacts where ledger_seq > checkpointed_seq order by workspace_id";
    // one checkpointer per workspace at a time, across nodes; the others skip it this round
    private static final String TRY_LOCK =
            "select pg_try_advisory_xact_lock(hashtextextended('optledger-ledger-checkpoint:' || :workspaceId, 0))";
    private static final String COLUMNS = """
            workspace_id, number, created_at, key_id, prev_root, contact_count, event_count, entries_digest, root,
            signature
            """;
    private static final String LATEST = "select " + COLUMNS + """
            from ledger_checkpoints where workspace_id = :workspaceId order by number desc limit 1
            """;
    private static final String ONE = "select " + COLUMNS + """
            from ledger_checkpoints where workspace_id = :workspaceId and number = :number
            """;
    private static final String PAGE = "select " + COLUMNS + """
            from ledger_checkpoints where workspace_id = :workspaceId and number > :after order by number limit :limit
            """;
    // through which seq each changed contact is covered, from the entries themselves (the column is only a hint)
    private static final String CHANGED = """
            select c.id, c.ledger_seq,
                coalesce((select max(x.to_seq) from ledger_checkpoint_entries x
                          where x.workspace_id = c.workspace_id and x.contact_id = c.id), 0) as covered
            from contacts c
            where c.workspace_id = :workspaceId and c.id > :after and c.ledger_seq > c.checkpointed_seq
            order by c.id
            limit :limit
            """;
    private static final String HASHES = """
            select e.contact_id, e.seq, e.hash
            from unnest(:ids::bigint[], :after::bigint[], :upto::bigint[]) as t(id, after_seq, upto_seq)
            join consent_events e on e.workspace_id = :workspaceId and e.contact_id = t.id
                and e.seq > t.after_seq and e.seq <= t.upto_seq
            order by e.contact_id, e.seq
            """;
    private static final String INSERT = """
            insert into ledger_checkpoints (workspace_id, number, created_at, key_id, prev_root, contact_count,
                event_count, entries_digest, root, signature)
            values (:workspaceId, :number, :createdAt, :keyId, decode(:prevRoot, 'hex'), :contacts, :events,
                decode(:entriesDigest, 'hex'), decode(:root, 'hex'), :signature)
            """;
    private static final String INSERT_ENTRIES = """
            insert into ledger_checkpoint_entries (workspace_id, number, contact_id, from_seq, to_seq, hashes)
            select :workspaceId, :number, e.contact_id, e.from_seq, e.to_seq, decode(e.hashes, 'hex')
            from unnest(:contacts::bigint[], :from::bigint[], :to::bigint[], :hashes::text[])
                as e(contact_id, from_seq, to_seq, hashes)
            """;
    // The mark is a hint (what is covered comes from the entries), so it never waits for a writer: rows a consent batch
    // holds are skipped and found again next round. It runs after the checkpoint commits, in small chunks of its own:
    // a checkpoint that held the row locks of thousands of contacts until its commit stalled every write to them.
    private static final String MARK = """
            update contacts c set checkpointed_seq = greatest(c.checkpointed_seq, t.seq)
            from unnest(:ids::bigint[], :seqs::bigint[]) as t(id, seq)
            where c.workspace_id = :workspaceId and c.id = t.id
              and c.id in (select l.id from contacts l where l.workspace_id = :workspaceId and l.id = any(:ids::bigint[])
                           order by l.id for no key update skip locked)
            """;
    static final int MARK_CHUNK = 500;
    private static final String ENTRY_COLUMNS = "number, contact_id, from_seq, to_seq, hashes ";
    private static final String ENTRIES_OF_CONTACT = "select " + ENTRY_COLUMNS + """
            from ledger_checkpoint_entries where workspace_id = :workspaceId and contact_id = :contactId
            order by from_seq
            """;
    private static final String ENTRIES_OF_CHECKPOINT = "select " + ENTRY_COLUMNS + """
            from ledger_checkpoint_entries
            where workspace_id = :workspaceId and number = :number and contact_id > :afterContact
            order by contact_id limit :limit
            """;

    private static final HexFormat HEX = HexFormat.of();

    private final JdbcClient jdbc;

    JdbcCheckpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A contact whose chain grew: its head seq, and through which seq checkpoints already cover it. */
    public record Changed(long contactId, long headSeq, long coveredSeq) {}

    public List<Long> pendingWorkspaces() {
        return jdbc.sql(PENDING_WORKSPACES).query(Long.class).list();
    }

    /** Takes the workspace's checkpoint lock for this transaction; false when another node holds it. */
    public boolean tryLock(long workspaceId) {
        return Boolean.TRUE.equals(jdbc.sql(TRY_LOCK)
                .param("workspaceId", workspaceId)
                .query(Boolean.class)
                .single());
    }

    public Optional<Checkpoint> latest(long workspaceId) {
        return jdbc.sql(LATEST)
                .param("workspaceId", workspaceId)
                .query(JdbcCheckpoints::checkpoint)
                .optional();
    }

    public Optional<Checkpoint> find(long workspaceId, long number) {
        return jdbc.sql(ONE)
                .param("workspaceId", workspaceId)
                .param("number", number)
                .query(JdbcCheckpoints::checkpoint)
                .optional();
    }

    public List<Checkpoint> page(long workspaceId, long after, int limit) {
        return jdbc.sql(PAGE)
                .param("workspaceId", workspaceId)
                .param("after", after)
                .param("limit", limit)
                .query(JdbcCheckpoints::checkpoint)
                .list();
    }

    /** The changed contacts after {@code afterContact} in id order: a round walks the workspace once. */
    public List<Changed> changed(long workspaceId, long afterContact, int limit) {
        return jdbc.sql(CHANGED)
                .param("workspaceId", workspaceId)
                .param("after", afterContact)
                .param("limit", limit)
                .query((rs, row) -> new Changed(rs.getLong("id"), rs.getLong("ledger_seq"), rs.getLong("covered")))
                .list();
    }

    /** The concatenated event hashes after {@code coveredSeq} through {@code headSeq} of each contact, by contact. */
    public Map<Long, byte[]> hashes(long workspaceId, List<Changed> contacts) {
        Map<Long, ByteArrayOutputStream> hashes = new LinkedHashMap<>();
        jdbc.sql(HASHES)
                .param("workspaceId", workspaceId)
                .param("ids", contacts.stream().map(Changed::contactId).toArray(Long[]::new))
                .param("after", contacts.stream().map(Changed::coveredSeq).toArray(Long[]::new))
                .param("upto", contacts.stream().map(Changed::headSeq).toArray(Long[]::new))
                .query(rs -> {
                    hashes.computeIfAbsent(rs.getLong("contact_id"), id -> new ByteArrayOutputStream())
                            .writeBytes(rs.getBytes("hash"));
                });
        Map<Long, byte[]> result = new LinkedHashMap<>();
        hashes.forEach((id, bytes) -> result.put(id, bytes.toByteArray()));
        return result;
    }

    public void insert(Checkpoint checkpoint, List<CheckpointEntry> entries) {
        jdbc.sql(INSERT)
                .param("workspaceId", checkpoint.workspaceId())
                .param("number", checkpoint.number())
                .param("createdAt", Timestamp.from(checkpoint.createdAt()))
                .param("keyId", checkpoint.keyId())
                .param("prevRoot", checkpoint.prevRoot())
                .param("contacts", checkpoint.contacts())
                .param("events", checkpoint.events())
                .param("entriesDigest", checkpoint.entriesDigest())
                .param("root", checkpoint.root())
                .param("signature", checkpoint.signature())
                .update();
        jdbc.sql(INSERT_ENTRIES)
                .param("workspaceId", checkpoint.workspaceId())
                .param("number", checkpoint.number())
                .param(
                        "contacts",
                        entries.stream().map(CheckpointEntry::contactId).toArray(Long[]::new))
                .param("from", entries.stream().map(CheckpointEntry::fromSeq).toArray(Long[]::new))
                .param("to", entries.stream().map(CheckpointEntry::toSeq).toArray(Long[]::new))
                .param(
                        "hashes",
                        entries.stream().map(e -> HEX.formatHex(e.hashes())).toArray(String[]::new))
                .update();
    }

    /**
     * Records through which seq each contact is checkpointed, a hint for {@link #changed}; call it outside a
     * transaction: each chunk commits by itself, and contacts a writer holds are skipped.
     */
    public void mark(long workspaceId, Map<Long, Long> seqByContact) {
        List<Map.Entry<Long, Long>> marks = List.copyOf(seqByContact.entrySet());
        for (int from = 0; from < marks.size(); from += MARK_CHUNK) {
            List<Map.Entry<Long, Long>> chunk = marks.subList(from, Math.min(marks.size(), from + MARK_CHUNK));
            jdbc.sql(MARK)
                    .param("workspaceId", workspaceId)
                    .param("ids", chunk.stream().map(Map.Entry::getKey).toArray(Long[]::new))
                    .param("seqs", chunk.stream().map(Map.Entry::getValue).toArray(Long[]::new))
                    .update();
        }
    }

    public List<CheckpointEntry> entriesOf(long workspaceId, long contactId) {
        return jdbc.sql(ENTRIES_OF_CONTACT)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query(JdbcCheckpoints::entry)
                .list();
    }

    public List<CheckpointEntry> entries(long workspaceId, long number, long afterContact, int limit) {
        return jdbc.sql(ENTRIES_OF_CHECKPOINT)
                .param("workspaceId", workspaceId)
                .param("number", number)
                .param("afterContact", afterContact)
                .param("limit", limit)
                .query(JdbcCheckpoints::entry)
                .list();
    }

    private static CheckpointEntry entry(ResultSet rs, int row) throws SQLException {
        return new CheckpointEntry(
                rs.getLong("number"),
                rs.getLong("contact_id"),
                rs.getLong("from_seq"),
                rs.getLong("to_seq"),
                rs.getBytes("hashes"));
    }

    private static Checkpoint checkpoint(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(
                rs.getLong("workspace_id"),
                rs.getLong("number"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("key_id"),
                HEX.formatHex(rs.getBytes("prev_root")),
                rs.getInt("contact_count"),
                rs.getLong("event_count"),
                HEX.formatHex(rs.getBytes("entries_digest")),
                HEX.formatHex(rs.getBytes("root")),
                rs.getBytes("signature"));
    }

    /** All entries of one checkpoint, for recomputing its digest. */
    public List<CheckpointEntry> allEntries(long workspaceId, long number) {
        List<CheckpointEntry> all = new ArrayList<>();
        long after = 0;
        List<CheckpointEntry> page;
        do {
            page = entries(workspaceId, number, after, 5_000);
            all.addAll(page);
            after = page.isEmpty() ? after : page.getLast().contactId();
        } while (page.size() == 5_000);
        return all;
    }
}
