package io.optledger.messaging.internal;

import static io.optledger.messaging.internal.JdbcMessages.COLUMNS;
import static io.optledger.messaging.internal.JdbcMessages.map;

import io.optledger.messaging.OutboundMessage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The message worker's claims on the queue in PostgreSQL: due messages taken for one lease, and every change made to a
 * claimed message (renewed, sent, retried, cancelled, left unread) fenced by its claim.
 */
@Repository
public class JdbcMessageClaims {

    // Claims due messages, queued or with a lapsed claim, for one lease: nodes share the queue without waiting on
    // each other's locks, and a message whose worker died is sent again once its lease ends. The rows locked are
    // updated where they lie (their ctids: nobody else can move a row this statement locked), never joined back by
    // key, a plan the planner can cost on statistics from when the table was small (as the webhook lanes' claim did:
    // JdbcLanes).
    private static final String CLAIM = "update messages set status = 'SENDING', attempts = attempts + 1,"
            + " next_attempt_at = :leaseEnd where ctid = any(array(select ctid from messages"
            + " where status in ('QUEUED', 'SENDING') and next_attempt_at <= :now order by next_attempt_at limit :limit"
            + " for update skip locked)) returning " + COLUMNS;
    // every change a worker makes to a claimed message is fenced by its claim: the attempt it claimed, still SENDING
    private static final String CLAIMED = " and status = 'SENDING' and attempts = :attempts";
    private static final String RENEW = """
            update messages set next_attempt_at = :leaseEnd
            where workspace_id = :workspaceId and id = :id
            """ + CLAIMED;
    private static final String SENT = """
            update messages set status = 'SENT', sent_at = :now, last_error = null
            where workspace_id = :workspaceId and id = :id
            """ + CLAIMED;
    private static final String CANCEL = """
            update messages set status = 'CANCELLED', last_error = :reason
            where workspace_id = :workspaceId and id = :id
            """ + CLAIMED;
    private static final String RETRY = """
            update messages set status = :status, next_attempt_at = :nextAttemptAt, last_error = :error
            where workspace_id = :workspaceId and id = :id
            """ + CLAIMED;
    private static final String LEAVE_UNREAD = """
            update messages set status = 'QUEUED', attempts = attempts - 1, next_attempt_at = :nextAttemptAt,
                last_error = :error
            where workspace_id = :workspaceId and id = :id
            """ + CLAIMED;

    private final JdbcClient jdbc;

    JdbcMessageClaims(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What one claim took: the messages to send, and the claimed rows this node cannot read (a template or channel it
     * does not know, as a newer node may write during a rolling upgrade), which must not hold the others back.
     */
    public record Claim(List<OutboundMessage> messages, List<Unreadable> unreadable) {}

    /** A claimed row this node cannot read, with the claim that fences what is done with it. */
    public record Unreadable(long workspaceId, long id, int attempts, String reason) {}

    public Claim claim(Instant now, Instant leaseEnd, int limit) {
        List<OutboundMessage> readable = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        jdbc.sql(CLAIM)
                .param("now", Timestamp.from(now))
                .param("leaseEnd", Timestamp.from(leaseEnd))
                .param("limit", limit)
                .query((RowCallbackHandler) rs -> {
                    try {
                        readable.add(map(rs, 0));
                    } catch (IllegalArgumentException | NullPointerException e) {
                        unreadable.add(new Unreadable(
                                rs.getLong("workspace_id"), rs.getLong("id"), rs.getInt("attempts"), e.toString()));
                    }
                });
        return new Claim(readable, unreadable);
    }

    /**
     * Puts a row this node cannot read back in the queue until {@code nextAttemptAt}, the attempt not counted, for a
     * node that can read it; the reason stays on the row for operators.
     */
    public void leaveUnread(Unreadable row, Instant nextAttemptAt) {
        claimed(LEAVE_UNREAD, row.workspaceId(), row.id(), row.attempts())
                .param("nextAttemptAt", Timestamp.from(nextAttemptAt))
                .param("error", lastError("not readable by this node: " + row.reason()))
                .update();
    }

    /**
     * Extends the claim on one message to {@code leaseEnd}, just before it is sent, so that no other worker can claim
     * it while it is being sent. False when this worker no longer holds it: it was cancelled (a STOP), or its lease
     * lapsed and another worker claimed it; then it must not be sent.
     */
    public boolean renew(OutboundMessage message, Instant leaseEnd) {
        return claimed(RENEW, message)
                        .param("leaseEnd", Timestamp.from(leaseEnd))
                        .update()
                == 1;
    }

    /** Marks the message sent under this worker's claim; false when the claim was lost meanwhile. */
    public boolean markSent(OutboundMessage message, Instant now) {
        return claimed(SENT, message).param("now", Timestamp.from(now)).update() == 1;
    }

    /** Back to the queue until {@code nextAttemptAt}, or FAILED for good when {@code nextAttemptAt} is null. */
    public void markFailedAttempt(OutboundMessage message, @Nullable Instant nextAttemptAt, String error) {
        claimed(RETRY, message)
                .param("status", nextAttemptAt == null ? "FAILED" : "QUEUED")
                .param("nextAttemptAt", Timestamp.from(nextAttemptAt == null ? message.nextAttemptAt() : nextAttemptAt))
                .param("error", lastError(error))
                .update();
    }

    public void markCancelled(OutboundMessage message, String reason) {
        claimed(CANCEL, message).param("reason", reason).update();
    }

    private JdbcClient.StatementSpec claimed(String sql, OutboundMessage message) {
        return claimed(sql, message.workspaceId(), message.id(), message.attempts());
    }

    /** One of the statements fenced by {@link #CLAIMED}, bound to a message and the attempt its worker claimed. */
    private JdbcClient.StatementSpec claimed(String sql, long workspaceId, long id, int attempts) {
        return jdbc.sql(sql).param("workspaceId", workspaceId).param("id", id).param("attempts", attempts);
    }

    /** A message's {@code last_error}, at most 500 characters. */
    private static String lastError(String error) {
        return error.length() > 500 ? error.substring(0, 500) : error;
    }
}
