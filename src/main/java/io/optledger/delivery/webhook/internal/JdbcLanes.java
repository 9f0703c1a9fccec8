package io.optledger.delivery.webhook.internal;

import io.optledger.delivery.webhook.Delivery;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lanes, one per endpoint and contact: claimed by a node for a lease, fenced by the claim number. Every write that
 * decides a lane's next due time first locks the lane and then reads its head in a statement of its own, so a
 * delivery the fan-out added meanwhile (it locks the lane too) is always seen.
 */
@Repository
public class JdbcLanes {

    // Due lanes whose lease is free or lapsed, oldest due first: nodes share them without waiting on each other's
    // locks, and a lane whose node died is taken over once its lease ends. The lanes locked are updated where they lie
    // (their ctids: nobody else can move a row this statement locked), never through a join the planner could cost on
    // statistics from when the table was small: joined by key, a claim in the benchmark's webhook scenario scanned
    // every lane for each lane it took (134 ms a claim with 14,000 lanes, the delivery loop's bottleneck).
    private static final String CLAIM = """
            update webhook_lanes l set lease_until = :leaseEnd, claim = l.claim + 1
            where l.ctid = any(array(
                select ctid from webhook_lanes
                where due_at <= :now and (lease_until is null or lease_until <= :now)
                order by due_at
                limit :limit
                for update skip locked))
            returning l.workspace_id, l.endpoint_id, l.contact_id, l.claim
            """;
    private static final String CLAIMS =
            " unnest(:workspaceIds::bigint[], :endpointIds::text[], :contactIds::bigint[], :claims::bigint[])"
                    + " as c(workspace_id, endpoint_id, contact_id, claim)";
    private static final String CLAIMED = " l.workspace_id = c.workspace_id and l.endpoint_id = c.endpoint_id"
            + " and l.contact_id = c.contact_id and l.claim = c.claim";
    // each claimed lane's head, read after the claim committed: read in the claim's own snapshot it could be a
    // delivery the lane's previous holder recorded just before the claim locked the lane
    private static final String HEADS = "select c.workspace_id as lane_workspace_id, c.endpoint_id as lane_endpoint_id,"
            + " c.contact_id as lane_contact_id, c.claim as lane_claim, h.* from" + CLAIMS + """
             left join lateral (
                select\s"""
            + JdbcDeliveries.COLUMNS + """
                 from webhook_deliveries d
                where d.workspace_id = c.workspace_id and d.endpoint_id = c.endpoint_id
                    and d.contact_id = c.contact_id and d.status = 'PENDING'
                order by d.seq, d.outbox_id
                limit 1
            ) h on true
            """;
    // in key order, as every writer of several lanes
    private static final String LOCK_ALL_CLAIMED = "select l.workspace_id, l.endpoint_id, l.contact_id, l.claim"
            + " from webhook_lanes l join" + CLAIMS + " on" + CLAIMED + " order by 1, 2, 3 for update of l";
    // each lane due when its head is next to be attempted, none while its endpoint is disabled or gone, and free: the
    // head read in a statement of its own after the lanes were locked, so a delivery the fan-out added is seen
    private static final String SETTLE_ALL = """
            update webhook_lanes l set lease_until = null,
                due_at = case when exists (select 1 from webhook_endpoints e
                                           where e.workspace_id = l.workspace_id and e.id = l.endpoint_id
                                               and e.enabled and e.deleted_at is null)
                    then (select d.next_attempt_at from webhook_deliveries d
                          where d.workspace_id = l.workspace_id and d.endpoint_id = l.endpoint_id
                              and d.contact_id = l.contact_id and d.status = 'PENDING'
                          order by d.seq, d.outbox_id
                          limit 1)
                    end
            from""" + CLAIMS + " where" + CLAIMED;
    private static final String LANE =
            " where workspace_id = :workspaceId and endpoint_id = :endpointId" + " and contact_id = :contactId";
    private static final String LOCK_ANY = """
            insert into webhook_lanes (workspace_id, endpoint_id, contact_id) values (:workspaceId, :endpointId, :contactId)
            on conflict (workspace_id, endpoint_id, contact_id) do update set due_at = webhook_lanes.due_at
            """;
    private static final String HEAD_DUE = """
            select next_attempt_at from webhook_deliveries
            where workspace_id = :workspaceId and endpoint_id = :endpointId and contact_id = :contactId
                and status = 'PENDING'
            order by seq, outbox_id
            limit 1
            """;
    private static final String SET_DUE = "update webhook_lanes set due_at = :due" + LANE;
    // A lane's head comes first in the head index (V42), in order. A head read that sorts has the planner reading
    // another index on (workspace_id, endpoint_id) instead, every delivery of the endpoint for each lane: on the
    // statistics of a table autovacuum had not yet analysed (a first endpoint's first minute, the benchmark's webhook
    // scenario) it did, and a pass of 200 lanes took seconds. For the rest of the transaction a sort is the last
    // resort.
    private static final String NO_SORT = "select set_config('enable_sort', 'off', true)";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JdbcLanes(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A lane as claimed: {@code claim} fences every later write of this claimant. */
    public record Lane(long workspaceId, String endpointId, long contactId, long claim) {}

    /** A lane as claimed, with its head (null when it has no pending delivery) as the claim found it. */
    public record Claimed(Lane lane, @Nullable Delivery head) {}

    /** Claims up to {@code limit} due lanes, then reads each one's head. */
    public List<Claimed> claimWithHeads(Instant now, Instant leaseEnd, int limit) {
        List<Lane> claimed = jdbc.sql(CLAIM)
                .param("now", Timestamp.from(now))
                .param("leaseEnd", Timestamp.from(leaseEnd))
                .param("limit", limit)
                .query((rs, row) -> new Lane(
                        rs.getLong("workspace_id"),
                        rs.getString("endpoint_id"),
                        rs.getLong("contact_id"),
                        rs.getLong("claim")))
                .list();
        if (claimed.isEmpty()) {
            return List.of();
        }
        return Objects.requireNonNull(tx.execute(status -> {
            headsFromTheIndex();
            return claims(HEADS, claimed)
                    .query((rs, row) -> new Claimed(
                            new Lane(
                                    rs.getLong("lane_workspace_id"),
                                    rs.getString("lane_endpoint_id"),
                                    rs.getLong("lane_contact_id"),
                                    rs.getLong("lane_claim")),
                            rs.getString("id") == null ? null : JdbcDeliveries.map(rs, row)))
                    .list();
        }));
    }

    /** The caller's transaction reads lanes' heads from the head index, never through a sort (NO_SORT). */
    private void headsFromTheIndex() {
        jdbc.sql(NO_SORT).query(String.class).single();
    }

    /** Locks those of the lanes still held under their claims, for this transaction, and answers them. */
    public Set<Lane> lockClaimed(Collection<Lane> claimed) {
        if (claimed.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(claims(LOCK_ALL_CLAIMED, claimed)
                .query((rs, row) -> new Lane(
                        rs.getLong("workspace_id"),
                        rs.getString("endpoint_id"),
                        rs.getLong("contact_id"),
                        rs.getLong("claim")))
                .list());
    }

    /**
     * Sets each lane's due time from its head (none while its endpoint is disabled) and gives its claim back; the
     * lanes are locked by this transaction ({@link #lockClaimed(Collection)}).
     */
    public void settle(Collection<Lane> lanes) {
        if (!lanes.isEmpty()) {
            headsFromTheIndex();
            claims(SETTLE_ALL, lanes).update();
        }
    }

    private JdbcClient.StatementSpec claims(String sql, Collection<Lane> lanes) {
        return jdbc.sql(sql)
                .param("workspaceIds", lanes.stream().map(Lane::workspaceId).toArray(Long[]::new))
                .param("endpointIds", lanes.stream().map(Lane::endpointId).toArray(String[]::new))
                .param("contactIds", lanes.stream().map(Lane::contactId).toArray(Long[]::new))
                .param("claims", lanes.stream().map(Lane::claim).toArray(Long[]::new));
    }

    /** Locks the lane whoever holds it, creating it when there is none. */
    public void lockAny(long workspaceId, String endpointId, long contactId) {
        jdbc.sql(LOCK_ANY)
                .param("workspaceId", workspaceId)
                .param("endpointId", endpointId)
                .param("contactId", contactId)
                .update();
    }

    /**
     * Sets the locked lane's due time to its head's next attempt, or null when it has no pending delivery or
     * {@code paused}; answers it.
     */
    public Optional<Instant> reschedule(long workspaceId, String endpointId, long contactId, boolean paused) {
        if (!paused) {
            headsFromTheIndex();
        }
        @Nullable
        Instant due = paused
                ? null
                : jdbc.sql(HEAD_DUE)
                        .param("workspaceId", workspaceId)
                        .param("endpointId", endpointId)
                        .param("contactId", contactId)
                        .query((rs, row) -> rs.getTimestamp(1).toInstant())
                        .optional()
                        .orElse(null);
        jdbc.sql(SET_DUE)
                .param("workspaceId", workspaceId)
                .param("endpointId", endpointId)
                .param("contactId", contactId)
                .param("due", due == null ? null : Timestamp.from(due))
                .update();
        return Optional.ofNullable(due);
    }
}
