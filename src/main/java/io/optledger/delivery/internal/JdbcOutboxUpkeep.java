package io.optledger.delivery.internal;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Removes outbox rows every reader is done with. A row is done for the webhooks once its workspace's fan-out cursor has
 * passed it (or the workspace has never had an endpoint), and for Kafka once it is published (or the stream is off).
 */
@Repository
public class JdbcOutboxUpkeep {

    // oldest first through outbox_created_idx; rows locked by the Kafka publisher are left for a later pass
    private static final String PRUNE = """
            delete from outbox where (workspace_id, id) in (
                select o.workspace_id, o.id from outbox o
                where o.created_at < :cutoff
                    and (o.published_at is not null or not :requirePublished)
                    and not exists (select 1 from webhook_fanout f
                                    where f.workspace_id = o.workspace_id and f.last_outbox_id < o.id)
                order by o.created_at
                limit :limit
                for update skip locked)
            """;

    private final JdbcClient jdbc;

    JdbcOutboxUpkeep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Deletes up to {@code limit} rows written before {@code cutoff} that every reader is done with; with
     * {@code requirePublished}, only rows published to Kafka. Answers how many.
     */
    public int prune(Instant cutoff, boolean requirePublished, int limit) {
        return jdbc.sql(PRUNE)
                .param("cutoff", Timestamp.from(cutoff))
                .param("requirePublished", requirePublished)
                .param("limit", limit)
                .update();
    }
}
