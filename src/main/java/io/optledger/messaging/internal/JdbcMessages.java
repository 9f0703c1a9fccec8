package io.optledger.messaging.internal;

import io.optledger.contact.Channel;
import io.optledger.messaging.MessageTemplate;
import io.optledger.messaging.OutboundMessage;
import io.optledger.messaging.QueueCount;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The message queue in PostgreSQL. */
@Repository
public class JdbcMessages {

    private static final String COLUMNS = "workspace_id, id, contact_id, channel, recipient, template, locale, body,"
            + " topic, subject, html_body, status, attempts, next_attempt_at, last_error, created_at, sent_at";
    private static final String INSERT = """
            insert into messages (workspace_id, contact_id, channel, recipient, template, locale, body, status,
                next_attempt_at, created_at)
            values (:workspaceId, :contactId, :channel, :recipient, :template, :locale, :body, 'QUEUED', :now, :now)
            returning id
            """;
    private static final String INSERT_EMAIL = """
            insert into messages (workspace_id, contact_id, channel, recipient, template, locale, body, topic, subject,
                html_body, status, next_attempt_at, created_at)
            values (:workspaceId, :contactId, 'EMAIL', :recipient, :template, :locale, :body, :topic, :subject, :html,
                'QUEUED', :now, :now)
            returning id
            """;
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
    // a message being sent (SENDING) is cancelled too: the worker reads the status again just before it sends
    private static final String CANCEL_TO = """
            update messages set status = 'CANCELLED', last_error = :reason
            where workspace_id = :workspaceId and channel = :channel and recipient = :recipient
                and status in ('QUEUED', 'SENDING') and template = any(:templates::text[])
            """;
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
    // oldest first by time: ids are opaque (V18) and say nothing of order
    private static final String SELECT_TO = "select " + COLUMNS
            + " from messages where workspace_id = :workspaceId and channel = :channel and recipient = :recipient"
            + " order by created_at, id";

    // the workspace's primary key range: a dashboard's occasional read, not a per-request one
    private static final String COUNT_BY_STATUS = """
            select status, count(*) as n, min(created_at) as oldest
            from messages where workspace_id = :workspaceId
            group by status
            """;

    // finished messages only: one still queued or being sent is work, whatever its age
    private static final String PRUNE_FINISHED = """
            delete from messages where (workspace_id, id) in (
                select workspace_id, id from messages
                where status in ('SENT', 'FAILED', 'CANCELLED') and created_at < :cutoff
                limit :limit)
            """;

    private final JdbcClient jdbc;

    JdbcMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(
            long workspaceId,
            @Nullable Long contactId,
            Channel channel,
            String recipient,
            MessageTemplate template,
            String locale,
            String body,
            Instant now) {
        return jdbc.sql(INSERT)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("channel", channel.name())
                .param("recipient", recipient)
                .param("template", template.name())
                .param("locale", locale)
                .param("body", body)
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
    }

    /** Queues an email about a topic: its plain text, subject and HTML, each with its links still placeholders. */
    public long insertEmail(
            long workspaceId,
            long contactId,
            String recipient,
            MessageTemplate template,
            String locale,
            String topic,
            String subject,
            String text,
            String html,
            Instant now) {
        return jdbc.sql(INSERT_EMAIL)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("recipient", recipient)
                .param("template", template.name())
                .param("locale", locale)
                .param("body", text)
                .param("topic", topic)
                .param("subject", subject)
                .param("html", html)
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
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
        jdbc.sql(LEAVE_UNREAD)
                .param("workspaceId", row.workspaceId())
                .param("id", row.id())
                .param("nextAttemptAt", Timestamp.from(nextAttemptAt))
                .param("error", lastError("not readable by this node: " + row.reason()))
                .param("attempts", row.attempts())
                .update();
    }

    /**
     * Extends the claim on one message to {@code leaseEnd}, just before it is sent, so that no other worker can claim
     * it while it is being sent. False when this worker no longer holds it: it was cancelled (a STOP), or its lease
     * lapsed and another worker claimed it; then it must not be sent.
     */
    public boolean renew(OutboundMessage message, Instant leaseEnd) {
        return jdbc.sql(RENEW)
                        .param("workspaceId", message.workspaceId())
                        .param("id", message.id())
                        .param("attempts", message.attempts())
                        .param("leaseEnd", Timestamp.from(leaseEnd))
                        .update()
                == 1;
    }

    /** Marks the message sent under this worker's claim; false when the claim was lost meanwhile. */
    public boolean markSent(OutboundMessage message, Instant now) {
        return jdbc.sql(SENT)
                        .param("workspaceId", message.workspaceId())
                        .param("id", message.id())
                        .param("attempts", message.attempts())
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** Back to the queue until {@code nextAttemptAt}, or FAILED for good when {@code nextAttemptAt} is null. */
    public void markFailedAttempt(OutboundMessage message, @Nullable Instant nextAttemptAt, String error) {
        jdbc.sql(RETRY)
                .param("workspaceId", message.workspaceId())
                .param("id", message.id())
                .param("status", nextAttemptAt == null ? "FAILED" : "QUEUED")
                .param("nextAttemptAt", Timestamp.from(nextAttemptAt == null ? message.nextAttemptAt() : nextAttemptAt))
                .param("error", lastError(error))
                .param("attempts", message.attempts())
                .update();
    }

    /** Cancels the recipient's unsent messages of the given templates; answers how many. */
    public int cancelTo(
            long workspaceId, Channel channel, String recipient, Collection<MessageTemplate> templates, String reason) {
        return jdbc.sql(CANCEL_TO)
                .param("workspaceId", workspaceId)
                .param("channel", channel.name())
                .param("recipient", recipient)
                .param("templates", templates.stream().map(Enum::name).toArray(String[]::new))
                .param("reason", reason)
                .update();
    }

    public void markCancelled(OutboundMessage message, String reason) {
        jdbc.sql(CANCEL)
                .param("workspaceId", message.workspaceId())
                .param("id", message.id())
                .param("attempts", message.attempts())
                .param("reason", reason)
                .update();
    }

    /** The message's status now, as committed. */
    public List<OutboundMessage> findTo(long workspaceId, Channel channel, String recipient) {
        return jdbc.sql(SELECT_TO)
                .param("workspaceId", workspaceId)
                .param("channel", channel.name())
                .param("recipient", recipient)
                .query(JdbcMessages::map)
                .list();
    }

    /** The workspace's messages counted by status, each with the oldest one's creation time. */
    public List<QueueCount> countByStatus(long workspaceId) {
        return jdbc.sql(COUNT_BY_STATUS)
                .param("workspaceId", workspaceId)
                .query((rs, row) -> new QueueCount(
                        OutboundMessage.Status.valueOf(rs.getString("status")),
                        rs.getLong("n"),
                        rs.getTimestamp("oldest").toInstant()))
                .list();
    }

    /** A message's {@code last_error}, at most 500 characters. */
    private static String lastError(String error) {
        return error.length() > 500 ? error.substring(0, 500) : error;
    }

    private static OutboundMessage map(ResultSet rs, int row) throws SQLException {
        Timestamp sent = rs.getTimestamp("sent_at");
        return new OutboundMessage(
                rs.getLong("workspace_id"),
                rs.getLong("id"),
                rs.getObject("contact_id", Long.class),
                Channel.valueOf(rs.getString("channel")),
                rs.getString("recipient"),
                MessageTemplate.valueOf(rs.getString("template")),
                rs.getString("locale"),
                rs.getString("body"),
                rs.getString("topic"),
                rs.getString("subject"),
                rs.getString("html_body"),
                OutboundMessage.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                sent == null ? null : sent.toInstant());
    }

    /** Deletes up to {@code limit} finished messages (bodies and recipients) created before {@code cutoff}. */
    public int pruneFinished(Instant cutoff, int limit) {
        return jdbc.sql(PRUNE_FINISHED)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .update();
    }
}
