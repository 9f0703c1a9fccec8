package io.optledger.delivery.kafka;

import io.optledger.delivery.internal.JdbcKafkaOutbox;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * An outbox row as a CloudEvents 1.0 record in Kafka's binary mode: the event's attributes in {@code ce_*} headers,
 * its data (the change, as JSON) the record's value. Consumers with a CloudEvents SDK read it as is.
 */
final class CloudEvents {

    /** The {@code type} prefix: reverse-DNS, as CloudEvents recommends ({@code dev.optledger.subscription.changed}). */
    static final String TYPE_PREFIX = "dev.optledger.";

    private CloudEvents() {}

    /**
     * The record key: one contact's events share it, so they share a partition and keep their order; a workspace's own
     * events (suppressions) share {@code <workspace>:workspace}, in the order of its workspace ledger.
     */
    static String key(JdbcKafkaOutbox.Row row) {
        return row.workspaceId() + ":" + subjectId(row);
    }

    static List<Header> headers(JdbcKafkaOutbox.Row row) {
        return List.of(
                header("ce_specversion", "1.0"),
                // unique per source: the outbox row, which a retried publication sends again with the same id
                header("ce_id", row.workspaceId() + "-" + row.id()),
                header("ce_source", "/optledger/workspaces/" + row.workspaceId()),
                header("ce_type", TYPE_PREFIX + row.type()),
                header("ce_subject", row.contactId() == null ? "workspace" : "contacts/" + row.contactId()),
                header("ce_time", row.createdAt().toString()),
                header("content-type", "application/json"));
    }

    private static String subjectId(JdbcKafkaOutbox.Row row) {
        return row.contactId() == null ? "workspace" : row.contactId().toString();
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
