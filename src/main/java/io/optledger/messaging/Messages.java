package io.optledger.messaging;

import io.optledger.access.Workspaces;
import io.optledger.contact.Channel;
import io.optledger.messaging.internal.JdbcMessages;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Queues messages for sending. Call it inside the transaction of the change that causes the message: the message is
 * then sent if and only if the change commits, and never from inside the request.
 */
@Service
public class Messages {

    /** The placeholder of an email's confirmation link, signed when the email is sent. */
    public static final String CONFIRM_URL = "confirmUrl";
    /** The placeholder of an email's one-click unsubscribe link, signed when the email is sent. */
    public static final String UNSUBSCRIBE_URL = "unsubscribeUrl";

    private final JdbcMessages messages;
    private final MessageTemplates templates;
    private final Workspaces workspaces;
    private final Clock clock;

    Messages(JdbcMessages messages, MessageTemplates templates, Workspaces workspaces, Clock clock) {
        this.messages = messages;
        this.templates = templates;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /**
     * Renders a template for the recipient and queues it. {@code {brand}} is the workspace's name unless {@code
     * values} give one. Answers the message id.
     */
    public long enqueue(
            long workspaceId,
            @Nullable Long contactId,
            Channel channel,
            String recipient,
            MessageTemplate template,
            String locale,
            Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.putIfAbsent("brand", workspaces.get(workspaceId).name());
        String supported = MessageTemplate.supported(locale);
        String body = templates.render(workspaceId, template, supported, all);
        return messages.insert(workspaceId, contactId, channel, recipient, template, supported, body, clock.instant());
    }

    /**
     * Renders an email template for the contact and queues it, about {@code topic}: {@code {brand}} is the workspace's
     * name unless {@code values} give one, and its links stay placeholders until it is sent. Answers the message id.
     */
    public long enqueueEmail(
            long workspaceId,
            long contactId,
            String recipient,
            MessageTemplate template,
            String locale,
            String topic,
            Map<String, String> values) {
        if (!template.isEmail()) {
            throw new IllegalArgumentException(template + " is not an email");
        }
        Map<String, String> all = new LinkedHashMap<>(values);
        all.putIfAbsent("brand", workspaces.get(workspaceId).name());
        all.put(CONFIRM_URL, "{" + CONFIRM_URL + "}");
        all.put(UNSUBSCRIBE_URL, "{" + UNSUBSCRIBE_URL + "}");
        String supported = MessageTemplate.supported(locale);
        MessageTemplates.RenderedEmail email = templates.renderEmail(workspaceId, template, supported, all);
        return messages.insertEmail(
                workspaceId,
                contactId,
                recipient,
                template,
                supported,
                topic,
                email.subject(),
                email.text(),
                email.html(),
                clock.instant());
    }

    /**
     * Cancels every unsent message about a subscription (confirmation requests and confirmations) to a recipient, as a
     * STOP does; the compliance replies stay. Answers how many were cancelled.
     */
    public int cancelSubscriptionTexts(long workspaceId, Channel channel, String recipient, String reason) {
        List<MessageTemplate> templates = Arrays.stream(MessageTemplate.values())
                .filter(template -> !template.isComplianceReply() && template.channel() == Channel.SMS)
                .toList();
        return messages.cancelTo(workspaceId, channel, recipient, templates, reason);
    }

    /** The workspace's messages by status (queued, sending, sent, failed, cancelled): its queue at a glance. */
    public List<QueueCount> queue(long workspaceId) {
        return messages.countByStatus(workspaceId);
    }

    /** Every message ever queued to a recipient on a channel, oldest first. */
    public List<OutboundMessage> to(long workspaceId, Channel channel, String recipient) {
        return messages.findTo(workspaceId, channel, recipient);
    }
}
