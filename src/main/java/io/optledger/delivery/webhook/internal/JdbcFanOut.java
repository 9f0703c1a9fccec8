package io.optledger.delivery.webhook.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The fan-out's reading of each workspace's outbox (by its primary key) and writing of deliveries. A workspace's cursor
 * row is locked for the pass that moves it (SKIP LOCKED: one node at a time, different workspaces on different nodes),
 * so the lock is the pass's lease and a node that dies mid-pass leaves nothing half done.
 */
@Repository
public class JdbcFanOut {

    private static final String START = """
            insert into webhook_fanout (workspace_id, last_outbox_id, updated_at)
            select :workspaceId, coalesce((select max(id) from outbox where workspace_id = :workspaceId), 0), :now
            on conflict (workspace_id) do nothing
            """;
    // read without locking: which cursors have rows to read or to wait for (a target whose writers may still run), or
    // new rows to set a target for
    private static final String WITH_WORK = """
            select f.workspace_id from webhook_fanout f
            where (f.target_id is not null and f.last_outbox_id < f.target_id)
                or ((f.target_id is null or f.last_outbox_id >= f.target_id)
                    and (select max(o.id) from outbox o where o.workspace_id = f.workspace_id) > f.last_outbox_id)
            order by f.workspace_id
            limit :limit
            """;
    private static final String LOCK = """
            select workspace_id, last_outbox_id, target_id,
                target_id is not null and pg_snapshot_xmin(pg_current_snapshot()) >= target_xmax as ended
            from webhook_fanout
            where workspace_id = any(:workspaceIds::bigint[])
            order by workspace_id
            for update skip locked
            """;
    // The highest id now visible; its bound is set after this transaction, by BIND. Not the snapshot's xmax, as V26
    // had it: xmax is one past the latest COMPLETED transaction, so a writer that took its xid before this snapshot but
    // after the last commit is at or above it, absent from its running list, and passes for ended while it still runs
    // (found by the two-node webhook test: a group's outbox rows skipped, never delivered).
    private static final String SET_TARGETS = """
            update webhook_fanout f
            set target_id = m.max_id, target_xmax = null, updated_at = :now
            from (select w.workspace_id,
                    (select max(o.id) from outbox o where o.workspace_id = w.workspace_id) as max_id
                  from unnest(:workspaceIds::bigint[]) as w(workspace_id)) m
            where f.workspace_id = m.workspace_id and m.max_id > f.last_outbox_id
            """;
    // Run in a transaction of its own after the targets were set: pg_current_xact_id() assigns this statement's
    // transaction an id above every id assigned before, so above every writer that took an outbox id up to a target
    // (writers hold an xid before they take outbox ids, V26). Once the oldest running transaction is at or above it
    // (snapshot xmin >= bound), all of them have ended and their rows are visible.
    private static final String BIND = """
            update webhook_fanout set target_xmax = pg_current_xact_id()
            where target_id is not null and target_xmax is null and last_outbox_id < target_id
            """;
    private static final String ROWS = """
            select workspace_id, id, contact_id, event_type, payload::text as payload, created_at from outbox
            where workspace_id = :workspaceId and id > :after and id <= :upto
            order by id
            limit :limit
            """;
    private static final String ADVANCE = """
            update webhook_fanout set last_outbox_id = :last, updated_at = :now where workspace_id = :workspaceId
            """;
    private static final String INSERT = """
            insert into webhook_deliveries (workspace_id, id, endpoint_id, contact_id, seq, outbox_id, event_type, body,
                status, next_attempt_at, retry_until, created_at)
            select d.workspace_id, d.id, d.endpoint_id, d.contact_id, d.seq, d.outbox_id, d.event_type, d.body,
                'PENDING', :now, :retryUntil, :now
            from unnest(:workspaceIds::bigint[], :ids::text[], :endpointIds::text[], :contactIds::bigint[],
                :seqs::bigint[], :outboxIds::bigint[], :eventTypes::text[], :bodies::text[])
                as d(workspace_id, id, endpoint_id, contact_id, seq, outbox_id, event_type, body)
            on conflict do nothing
            """;
    // an idle lane becomes due now; a lane waiting for a retry of its head keeps its time. In key order, as every
    // writer of several lanes.
    private static final String LANES = """
            insert into webhook_lanes (workspace_id, endpoint_id, contact_id, due_at)
            select distinct l.workspace_id, l.endpoint_id, l.contact_id, cast(:now as timestamptz)
            from unnest(:workspaceIds::bigint[], :endpointIds::text[], :contactIds::bigint[])
                as l(workspace_id, endpoint_id, contact_id)
            order by 1, 2, 3
            on conflict (workspace_id, endpoint_id, contact_id) do update
            set due_at = coalesce(webhook_lanes.due_at, excluded.due_at)
            """;
    private static final String OLDEST_WAITING = """
            select min((select o.created_at from outbox o
                        where o.workspace_id = f.workspace_id and o.id > f.last_outbox_id
                        order by o.id limit 1))
            from webhook_fanout f
            """;

    // Tables autovacuum has not analysed yet (reltuples -1) that hold rows. The delivery tables start empty, and until
    // their first analysis the planner costs them as empty: in the benchmark's webhook scenario, which begins with them
    // empty, the claim joined the lanes it took to a sequential scan of every lane (a quarter of a second per pass with
    // 10,000 lanes), its plan cached from the idle polls before, and autovacuum, a minute apart at best, came too late.
    private static final String UNANALYSED = """
            select c.relname from pg_class c
            where c.oid in ('webhook_deliveries'::regclass, 'webhook_lanes'::regclass) and c.reltuples < 0
                and pg_relation_size(c.oid) > 0
            """;

    private final JdbcClient jdbc;

    JdbcFanOut(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Where a workspace's fan-out stands: {@code ended} when every transaction that could still commit a row up to
     * {@code targetId} has ended, so those rows can be read.
     */
    public record Cursor(
            long workspaceId, long lastOutboxId, @Nullable Long targetId, boolean ended) {

        public boolean ready() {
            return pending() && ended;
        }

        /** Rows up to the target are still to be read, once (or as soon as) their writers have ended. */
        public boolean pending() {
            return targetId != null && lastOutboxId < targetId;
        }
    }

    /** An outbox row: a contact's change, or a workspace event (no contact). */
    public record OutboxRow(
            long workspaceId, long id, @Nullable Long contactId, String type, String payload, Instant createdAt) {}

    /** A delivery to write, due now. */
    public record NewDelivery(
            long workspaceId,
            String id,
            String endpointId,
            long contactId,
            @Nullable Long seq,
            long outboxId,
            String eventType,
            String body) {}

    /** Starts the workspace's fan-out after the rows its outbox holds now, unless it has started already. */
    public void start(long workspaceId, Instant now) {
        jdbc.sql(START)
                .param("workspaceId", workspaceId)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** Up to {@code limit} workspaces whose fan-out has something to do, locked for this transaction. */
    public List<Cursor> lockWithWork(int limit) {
        List<Long> candidates =
                jdbc.sql(WITH_WORK).param("limit", limit).query(Long.class).list();
        if (candidates.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(LOCK)
                .param("workspaceIds", candidates.toArray(Long[]::new))
                .query((rs, row) -> new Cursor(
                        rs.getLong("workspace_id"),
                        rs.getLong("last_outbox_id"),
                        rs.getObject("target_id", Long.class),
                        rs.getBoolean("ended")))
                .list();
    }

    /**
     * Each workspace waits from now for every row up to the highest id it now sees, if it sees new ones; answers
     * whether any did.
     */
    public boolean setTargets(Collection<Long> workspaceIds, Instant now) {
        if (workspaceIds.isEmpty()) {
            return false;
        }
        return jdbc.sql(SET_TARGETS)
                        .param("workspaceIds", workspaceIds.toArray(Long[]::new))
                        .param("now", Timestamp.from(now))
                        .update()
                > 0;
    }

    /**
     * Bounds every target set without one, in a transaction of its own that must begin after the transaction that set
     * them committed (so, never inside one); a node that died in between leaves its targets to the next pass of any
     * node. A target with no bound is never read.
     */
    public void bindTargets() {
        jdbc.sql(BIND).update();
    }

    public List<OutboxRow> rows(long workspaceId, long after, long upto, int limit) {
        return jdbc.sql(ROWS)
                .param("workspaceId", workspaceId)
                .param("after", after)
                .param("upto", upto)
                .param("limit", limit)
                .query((rs, row) -> new OutboxRow(
                        rs.getLong("workspace_id"),
                        rs.getLong("id"),
                        rs.getObject("contact_id", Long.class),
                        rs.getString("event_type"),
                        rs.getString("payload"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    public void advance(long workspaceId, long last, Instant now) {
        jdbc.sql(ADVANCE)
                .param("workspaceId", workspaceId)
                .param("last", last)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** Writes the deliveries, each due now, and makes their lanes due unless they wait for a retry already. */
    public void insert(List<NewDelivery> deliveries, Instant now, Instant retryUntil) {
        if (deliveries.isEmpty()) {
            return;
        }
        // the lanes are keyed by the same three columns as the deliveries: their arrays are built once for both
        Long[] workspaceIds = deliveries.stream().map(NewDelivery::workspaceId).toArray(Long[]::new);
        String[] endpointIds = deliveries.stream().map(NewDelivery::endpointId).toArray(String[]::new);
        Long[] contactIds = deliveries.stream().map(NewDelivery::contactId).toArray(Long[]::new);
        jdbc.sql(INSERT)
                .param("now", Timestamp.from(now))
                .param("retryUntil", Timestamp.from(retryUntil))
                .param("workspaceIds", workspaceIds)
                .param("ids", deliveries.stream().map(NewDelivery::id).toArray(String[]::new))
                .param("endpointIds", endpointIds)
                .param("contactIds", contactIds)
                .param("seqs", deliveries.stream().map(NewDelivery::seq).toArray(Long[]::new))
                .param(
                        "outboxIds",
                        deliveries.stream().map(NewDelivery::outboxId).toArray(Long[]::new))
                .param(
                        "eventTypes",
                        deliveries.stream().map(NewDelivery::eventType).toArray(String[]::new))
                .param("bodies", deliveries.stream().map(NewDelivery::body).toArray(String[]::new))
                .update();
        jdbc.sql(LANES)
                .param("now", Timestamp.from(now))
                .param("workspaceIds", workspaceIds)
                .param("endpointIds", endpointIds)
                .param("contactIds", contactIds)
                .update();
    }

    /**
     * Analyses the delivery tables that hold rows but have never been analysed, so that the plans of every statement
     * on them (each connection's cached ones too, which the analysis invalidates) see their size and distribution;
     * answers whether both had statistics already. Without the right to analyse them it does nothing (a warning).
     */
    public boolean analyseIfNeverAnalysed() {
        List<String> tables = jdbc.sql(UNANALYSED).query(String.class).list();
        for (String table : tables) {
            jdbc.sql("analyze " + table).update();
        }
        return tables.isEmpty();
    }

    /** When the oldest outbox row not yet fanned out, of any workspace with endpoints, was written. */
    public Optional<Instant> oldestWaiting() {
        return jdbc.sql(OLDEST_WAITING)
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .single();
    }
}
