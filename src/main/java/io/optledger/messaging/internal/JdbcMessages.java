package io.optledger.messaging.internal;

import io.optledger.contact.Channel;
import io.optledger.messaging.MessageTemplate;
import io.optledger.messaging.OutboundMessage;
import io.optledger.messaging.QueueCount;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The message queue in PostgreSQL: messages queued, cancelled before they are sent, read and pruned. The worker's
 * claims on them are {@link JdbcMessageClaims}'.
 */
@Repository
public class JdbcMessages {

    // a message as read here and by a claim (JdbcMessageClaims)
    static final String COLUMNS = "workspace_id, id, contact_id, channel, recipient, template, locale, body,"
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
    // a message being sent (SENDING) is cancelled too: the worker reads the status again just before it sends
    private static final String CANCEL_TO = """
            update messages set status = 'CANCELLED', last_error = :reason
            where workspace_id = :workspaceId and channel = :channel and recipient = :recipient
                and status in ('QUEUED', 'SENDING') and template = any(:templates::text[])
            """;
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

    static OutboundMessage map(ResultSet rs, int row) throws SQLException {
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
