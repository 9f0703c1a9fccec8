package io.optledger.consent.internal;

import io.optledger.consent.ledger.Checkpoint;
import io.optledger.consent.ledger.CheckpointEntry;
import java.io.ByteArrayOutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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

    // the queue of events no checkpoint records yet (V44): small, and only what was written since the last rounds
    // A loose index scan: each workspace one probe of the primary key, never a scan of the whole queue, whose deleted
    // rows (every signed event leaves it) wait for a vacuum: the plain "select distinct" took 50 to 60 ms a round
    // there at 1,000 writes a second (bench, PostgreSQL log).
    private static final String PENDING_WORKSPACES = """
            with recursive pending(workspace_id) as (
                (select workspace_id from ledger_unchecked order by workspace_id limit 1)
                union all
                select (select u.workspace_id from ledger_unchecked u
                        where u.workspace_id > p.workspace_id order by u.workspace_id limit 1)
                from pending p where p.workspace_id is not null)
            select workspace_id from pending where workspace_id is not null
            """;
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
    // the next queued events, in the order of the queue's primary key (no sort)
    private static final String UNCHECKED = """
            select contact_id, seq, hash from ledger_unchecked
            where workspace_id = :workspaceId
            order by contact_id, seq
            limit :limit
            """;
    // Through which seq each contact is covered already, from the entries themselves (an index-only probe each), so
    // that a queue that lost or gained rows cannot make a checkpoint skip or repeat events. A statement of its own: in
    // one with the queued rows the planner probed once per row, not per contact, and sorted the rows again.
    private static final String COVERED = """
            select t.id, coalesce((select max(x.to_seq) from ledger_checkpoint_entries x
                where x.workspace_id = :workspaceId and x.contact_id = t.id), 0) as covered
            from unnest(:ids::bigint[]) as t(id)
            """;
    // Each contact's events through a seq, read from the ledger itself: where the queue does not hold exactly the
    // events after those covered.
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
    // in the checkpoint's transaction: what it signed leaves the queue when the checkpoint commits
    private static final String DEQUEUE = """
            delete from ledger_unchecked u
            using unnest(:ids::bigint[], :through::bigint[]) as t(id, through)
            where u.workspace_id = :workspaceId and u.contact_id = t.id and u.seq <= t.through
            """;
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

    /** A queued event not yet checkpointed. */
    public record Unchecked(long contactId, long seq, byte[] hash) {}

    /** Events of a contact after {@code afterSeq} through {@code throughSeq}. */
    public record Range(long contactId, long afterSeq, long throughSeq) {}

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

    /** The first {@code limit} queued events of the workspace, in contact and seq order. */
    public List<Unchecked> unchecked(long workspaceId, int limit) {
        return jdbc.sql(UNCHECKED)
                .param("workspaceId", workspaceId)
                .param("limit", limit)
                .query((rs, row) -> new Unchecked(rs.getLong("contact_id"), rs.getLong("seq"), rs.getBytes("hash")))
                .list();
    }

    /** Through which seq the entries cover each contact (0 for none). */
    public Map<Long, Long> covered(long workspaceId, Collection<Long> contactIds) {
        Map<Long, Long> covered = new HashMap<>();
        jdbc.sql(COVERED)
                .param("workspaceId", workspaceId)
                .param("ids", contactIds.toArray(Long[]::new))
                .query(rs -> {
                    covered.put(rs.getLong("id"), rs.getLong("covered"));
                });
        return covered;
    }

    /** The concatenated event hashes of each range, by contact, read from the ledger. */
    public Map<Long, byte[]> hashes(long workspaceId, List<Range> ranges) {
        Map<Long, ByteArrayOutputStream> hashes = new LinkedHashMap<>();
        jdbc.sql(HASHES)
                .param("workspaceId", workspaceId)
                .param("ids", ranges.stream().map(Range::contactId).toArray(Long[]::new))
                .param("after", ranges.stream().map(Range::afterSeq).toArray(Long[]::new))
                .param("upto", ranges.stream().map(Range::throughSeq).toArray(Long[]::new))
                .query(rs -> {
                    hashes.computeIfAbsent(rs.getLong("contact_id"), id -> new ByteArrayOutputStream())
                            .writeBytes(rs.getBytes("hash"));
                });
        Map<Long, byte[]> result = new LinkedHashMap<>();
        hashes.forEach((id, bytes) -> result.put(id, bytes.toByteArray()));
        return result;
    }

    /** Takes each contact's queued events through the given seq off the queue. */
    public void dequeue(long workspaceId, Map<Long, Long> throughByContact) {
        jdbc.sql(DEQUEUE)
                .param("workspaceId", workspaceId)
                .param("ids", throughByContact.keySet().toArray(Long[]::new))
                .param("through", throughByContact.values().toArray(Long[]::new))
                .update();
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
