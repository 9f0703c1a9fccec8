package io.optledger.messaging.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The pending email opt-ins double opt-in tracks: when each was last asked to confirm, and when it is next due. */
@Repository
public class JdbcEmailConfirmations {

    private static final String LAST_QUEUED = """
            select max(last_queued_at) from email_confirmations
            where workspace_id = :workspaceId and contact_id = :contactId and topic_key = :topic
            """;
    private static final String UPSERT = """
            insert into email_confirmations (workspace_id, contact_id, topic_key, address, last_queued_at, due_at)
            values (:workspaceId, :contactId, :topic, :address, :queuedAt, :dueAt)
            on conflict (workspace_id, contact_id, topic_key, address) do update
            set due_at = excluded.due_at,
                last_queued_at = coalesce(excluded.last_queued_at, email_confirmations.last_queued_at)
            """;
    // Claims due rows for one lease by moving their due time, committed at once: nodes share the rows without holding
    // a lock on them while the expiry takes the contact's lock (a request holds that lock, then writes the row).
    private static final String CLAIM = """
            update email_confirmations c set due_at = :leaseEnd
            from (select workspace_id, contact_id, topic_key, address from email_confirmations
                  where due_at <= :now order by due_at limit :limit for update skip locked) due
            where c.workspace_id = due.workspace_id and c.contact_id = due.contact_id
              and c.topic_key = due.topic_key and c.address = due.address
            returning c.workspace_id, c.contact_id, c.topic_key, c.address, c.due_at
            """;
    // every change to a claimed row is fenced by the claim: a request renewed since moved due_at, and keeps its row
    private static final String CLAIMED = """
             where workspace_id = :workspaceId and contact_id = :contactId and topic_key = :topic
               and address = :address and due_at = :claimedUntil
            """;
    private static final String FORGET = "delete from email_confirmations" + CLAIMED;
    private static final String RESCHEDULE = "update email_confirmations set due_at = :dueAt" + CLAIMED;

    private final JdbcClient jdbc;

    JdbcEmailConfirmations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A claimed row: a pending opt-in to look at, held until {@code claimedUntil}. */
    public record Due(long workspaceId, long contactId, String topic, String address, Instant claimedUntil) {}

    /** When a confirmation request to the contact about the topic was last queued, at any address; null: never. */
    public @Nullable Instant lastQueued(long workspaceId, long contactId, String topic) {
        Timestamp last = jdbc.sql(LAST_QUEUED)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("topic", topic)
                .query(Timestamp.class)
                .optional()
                .orElse(null);
        return last == null ? null : last.toInstant();
    }

    /** Records a pending opt-in, due at {@code dueAt}; {@code queuedAt} when a confirmation request was queued now. */
    public void pending(
            long workspaceId, long contactId, String topic, String address, Instant dueAt, @Nullable Instant queuedAt) {
        jdbc.sql(UPSERT)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("topic", topic)
                .param("address", address)
                .param("queuedAt", queuedAt == null ? null : Timestamp.from(queuedAt))
                .param("dueAt", Timestamp.from(dueAt))
                .update();
    }

    public List<Due> claim(Instant now, Instant leaseEnd, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", Timestamp.from(now))
                .param("leaseEnd", Timestamp.from(leaseEnd))
                .param("limit", limit)
                .query((rs, row) -> new Due(
                        rs.getLong("workspace_id"),
                        rs.getLong("contact_id"),
                        rs.getString("topic_key"),
                        rs.getString("address"),
                        rs.getTimestamp("due_at").toInstant()))
                .list();
    }

    /** Deletes a claimed row; false when a request renewed it since the claim (it stays). */
    public boolean forget(Due due) {
        return claimed(jdbc.sql(FORGET), due).update() == 1;
    }

    /** Moves a claimed row's next look to {@code dueAt}; false when a request renewed it since the claim. */
    public boolean reschedule(Due due, Instant dueAt) {
        return claimed(jdbc.sql(RESCHEDULE), due)
                        .param("dueAt", Timestamp.from(dueAt))
                        .update()
                == 1;
    }

    private static JdbcClient.StatementSpec claimed(JdbcClient.StatementSpec statement, Due due) {
        return statement
                .param("workspaceId", due.workspaceId())
                .param("contactId", due.contactId())
                .param("topic", due.topic())
                .param("address", due.address())
                .param("claimedUntil", Timestamp.from(due.claimedUntil()));
    }
}
