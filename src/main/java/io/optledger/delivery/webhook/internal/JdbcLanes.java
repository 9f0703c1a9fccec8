package io.optledger.delivery.webhook.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The lanes, one per endpoint and contact: claimed by a node for a lease, fenced by the claim number. Every write that
 * decides a lane's next due time first locks the lane and then reads its head in a statement of its own, so a
 * delivery the fan-out added meanwhile (it locks the lane too) is always seen.
 */
@Repository
public class JdbcLanes {

    // due lanes whose lease is free or lapsed, oldest due first: nodes share them without waiting on each other's
    // locks, and a lane whose node died is taken over once its lease ends
    private static final String CLAIM = """
            with due as (
                select workspace_id, endpoint_id, contact_id from webhook_lanes
                where due_at <= :now and (lease_until is null or lease_until <= :now)
                order by due_at
                limit :limit
                for update skip locked
            )
            update webhook_lanes l set lease_until = :leaseEnd, claim = l.claim + 1
            from due
            where l.workspace_id = due.workspace_id and l.endpoint_id = due.endpoint_id
                and l.contact_id = due.contact_id
            returning l.workspace_id, l.endpoint_id, l.contact_id, l.claim
            """;
    private static final String LANE =
            " where workspace_id = :workspaceId and endpoint_id = :endpointId" + " and contact_id = :contactId";
    private static final String RENEW =
            "update webhook_lanes set lease_until = :leaseEnd" + LANE + " and claim = :claim";
    private static final String RELEASE = "update webhook_lanes set lease_until = null" + LANE + " and claim = :claim";
    private static final String LOCK_CLAIMED =
            "select claim from webhook_lanes" + LANE + " and claim = :claim for update";
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

    private final JdbcClient jdbc;

    JdbcLanes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A lane as claimed: {@code claim} fences every later write of this claimant. */
    public record Lane(long workspaceId, String endpointId, long contactId, long claim) {}

    public List<Lane> claim(Instant now, Instant leaseEnd, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", Timestamp.from(now))
                .param("leaseEnd", Timestamp.from(leaseEnd))
                .param("limit", limit)
                .query((rs, row) -> new Lane(
                        rs.getLong("workspace_id"),
                        rs.getString("endpoint_id"),
                        rs.getLong("contact_id"),
                        rs.getLong("claim")))
                .list();
    }

    /** Extends this claim; false when it was lost (the lease lapsed and another node claimed the lane). */
    public boolean renew(Lane lane, Instant leaseEnd) {
        return lane(RENEW, lane).param("leaseEnd", Timestamp.from(leaseEnd)).update() == 1;
    }

    /** Ends this claim, so that the lane can be claimed again as soon as it is due. */
    public void release(Lane lane) {
        lane(RELEASE, lane).update();
    }

    /** Locks the lane for this claim's transaction; false when the claim was lost. */
    public boolean lockClaimed(Lane lane) {
        return lane(LOCK_CLAIMED, lane).query().listOfRows().size() == 1;
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

    private JdbcClient.StatementSpec lane(String sql, Lane lane) {
        return jdbc.sql(sql)
                .param("workspaceId", lane.workspaceId())
                .param("endpointId", lane.endpointId())
                .param("contactId", lane.contactId())
                .param("claim", lane.claim());
    }
}
