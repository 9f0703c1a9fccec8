package io.optledger.delivery.webhook.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the pruner removes and what the lag metric reads, each in bounded batches. */
@Repository
public class JdbcUpkeep {

    private static final String PRUNE_FINISHED = """
            delete from webhook_deliveries where (workspace_id, id) in (
                select workspace_id, id from webhook_deliveries
                where status <> 'PENDING' and finished_at < :cutoff
                limit :limit)
            """;
    private static final String DELETED_ENDPOINTS = """
            select workspace_id, id from webhook_endpoints where deleted_at < :cutoff order by deleted_at limit 10
            """;
    private static final String PRUNE_OF_ENDPOINT = """
            delete from webhook_deliveries where (workspace_id, id) in (
                select workspace_id, id from webhook_deliveries
                where workspace_id = :workspaceId and endpoint_id = :endpointId
                limit :limit)
            """;
    private static final String PRUNE_LANES_OF_ENDPOINT =
            "delete from webhook_lanes where workspace_id = :workspaceId and endpoint_id = :endpointId";
    private static final String PRUNE_ENDPOINT = """
            delete from webhook_endpoints e where workspace_id = :workspaceId and id = :endpointId
                and not exists (select 1 from webhook_deliveries d
                                where d.workspace_id = e.workspace_id and d.endpoint_id = e.id)
            """;
    // idle lanes (nothing due, no claim): the fan-out makes them again when their contact has a new event
    private static final String PRUNE_IDLE_LANES = """
            delete from webhook_lanes where (workspace_id, endpoint_id, contact_id) in (
                select workspace_id, endpoint_id, contact_id from webhook_lanes
                where due_at is null and (lease_until is null or lease_until < :now)
                limit :limit
                for update skip locked)
                and due_at is null
            """;
    // per endpoint, through the head index (V42): only the pending deliveries are read, not the whole table
    private static final String OLDEST_PENDING = """
            select e.workspace_id, e.id as endpoint_id, o.oldest from webhook_endpoints e
            cross join lateral (
                select min(d.created_at) as oldest from webhook_deliveries d
                where d.workspace_id = e.workspace_id and d.endpoint_id = e.id and d.status = 'PENDING'
                    and d.contact_id is not null
            ) o
            where o.oldest is not null
            """;

    private final JdbcClient jdbc;

    JdbcUpkeep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An endpoint's oldest undelivered event. */
    public record Oldest(long workspaceId, String endpointId, Instant createdAt) {}

    /** Deletes up to {@code limit} delivered or given-up deliveries finished before {@code cutoff}; answers how many. */
    public int pruneFinished(Instant cutoff, int limit) {
        return jdbc.sql(PRUNE_FINISHED)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .update();
    }

    /** Removes endpoints deleted before {@code cutoff}, a batch of their deliveries at a time; answers rows deleted. */
    public int pruneDeletedEndpoints(Instant cutoff, int limit) {
        int deleted = 0;
        for (var endpoint : jdbc.sql(DELETED_ENDPOINTS)
                .param("cutoff", Timestamp.from(cutoff))
                .query()
                .listOfRows()) {
            Object workspaceId = endpoint.get("workspace_id");
            Object endpointId = endpoint.get("id");
            deleted += jdbc.sql(PRUNE_OF_ENDPOINT)
                    .param("workspaceId", workspaceId)
                    .param("endpointId", endpointId)
                    .param("limit", limit)
                    .update();
            deleted += jdbc.sql(PRUNE_LANES_OF_ENDPOINT)
                    .param("workspaceId", workspaceId)
                    .param("endpointId", endpointId)
                    .update();
            jdbc.sql(PRUNE_ENDPOINT)
                    .param("workspaceId", workspaceId)
                    .param("endpointId", endpointId)
                    .update();
        }
        return deleted;
    }

    public int pruneIdleLanes(Instant now, int limit) {
        return jdbc.sql(PRUNE_IDLE_LANES)
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .update();
    }

    public List<Oldest> oldestPending() {
        return jdbc.sql(OLDEST_PENDING)
                .query((rs, row) -> new Oldest(
                        rs.getLong("workspace_id"),
                        rs.getString("endpoint_id"),
                        rs.getTimestamp("oldest").toInstant()))
                .list();
    }
}
