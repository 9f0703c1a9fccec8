package io.optledger.delivery.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The outbox as the Kafka publisher reads it: rows not yet published, oldest first, and the partition and offset each
 * was published at. One node publishes at a time (a transaction-scoped advisory lock), so one contact's events reach
 * Kafka in the order they were written.
 */
@Repository
public class JdbcKafkaOutbox {

    /** Any constant: the lock that makes one node the publisher for the length of one transaction. */
    private static final long PUBLISHER_LOCK = 0x6f70746c6b61666bL;

    private static final String TRY_LOCK = "select pg_try_advisory_xact_lock(:lock)";
    private static final String UNPUBLISHED = """
            select workspace_id, id, contact_id, event_type, payload::text as payload, created_at
            from outbox where published_at is null order by id limit :limit
            """;
    private static final String MARK = """
            update outbox o set published_at = :now, kafka_partition = p.kafka_partition, kafka_offset = p.kafka_offset
            from unnest(:workspaceIds::bigint[], :ids::bigint[], :partitions::int[], :offsets::bigint[])
                as p(workspace_id, id, kafka_partition, kafka_offset)
            where o.workspace_id = p.workspace_id and o.id = p.id
            """;
    private static final String OLDEST_UNPUBLISHED = "select min(created_at) from outbox where published_at is null";

    private final JdbcClient jdbc;

    JdbcKafkaOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An outbox row: one consent change's event, or a workspace event (a suppression), which has no contact. */
    public record Row(
            long workspaceId, long id, @Nullable Long contactId, String type, String payload, Instant createdAt) {}

    /** Where a row was published. */
    public record Published(Row row, int partition, long offset) {}

    /** Makes this transaction the publisher, unless another node's is: answers whether it is. */
    public boolean becomePublisher() {
        return Boolean.TRUE.equals(jdbc.sql(TRY_LOCK)
                .param("lock", PUBLISHER_LOCK)
                .query(Boolean.class)
                .single());
    }

    public List<Row> unpublished(int limit) {
        return jdbc.sql(UNPUBLISHED)
                .param("limit", limit)
                .query((rs, n) -> new Row(
                        rs.getLong("workspace_id"),
                        rs.getLong("id"),
                        rs.getObject("contact_id", Long.class),
                        rs.getString("event_type"),
                        rs.getString("payload"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    public void markPublished(List<Published> published, Instant now) {
        jdbc.sql(MARK)
                .param("now", Timestamp.from(now))
                .param(
                        "workspaceIds",
                        published.stream().map(p -> p.row().workspaceId()).toArray(Long[]::new))
                .param("ids", published.stream().map(p -> p.row().id()).toArray(Long[]::new))
                .param(
                        "partitions",
                        published.stream().map(Published::partition).toArray(Integer[]::new))
                .param("offsets", published.stream().map(Published::offset).toArray(Long[]::new))
                .update();
    }

    /** When the oldest row still to publish was written, if any: the publisher's lag. */
    public java.util.Optional<Instant> oldestUnpublished() {
        return jdbc.sql(OLDEST_UNPUBLISHED)
                .query((rs, n) -> rs.getTimestamp(1))
                .optional()
                .filter(java.util.Objects::nonNull)
                .map(Timestamp::toInstant);
    }
}
