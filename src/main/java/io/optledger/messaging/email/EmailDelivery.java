package io.optledger.messaging.email;

import io.optledger.contact.Channel;
import io.optledger.messaging.Messages;
import io.optledger.messaging.OutboundMessage;
import io.optledger.preferences.LinkKind;
import io.optledger.preferences.PublicLinks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Sends a queued email: signs its links now (a confirmation link for a confirmation request, and the topic's one-click
 * unsubscribe link for every email about a topic), fills them in, and adds the RFC 8058 headers. Links are minted at
 * send time so that no capability sits in the queue, where anyone who may read messages would see it.
 */
@Component
public class EmailDelivery {

    static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";

    private final EmailSender sender;
    private final PublicLinks links;
    private final ConfirmationWindow window;

    EmailDelivery(EmailSender sender, PublicLinks links, ConfirmationWindow window) {
        this.sender = sender;
        this.links = links;
        this.window = window;
    }

    public void send(OutboundMessage message) throws EmailSender.SendFailure {
        if (message.contactId() == null
                || message.topic() == null
                || message.subject() == null
                || message.html() == null) {
            throw new EmailSender.SendFailure("an email needs its contact, topic, subject and HTML", true);
        }
        long workspaceId = message.workspaceId();
        long contactId = message.contactId();
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        // every email this service sends is about a topic, and none is transactional: each can be left in one click
        PublicLinks.Link unsubscribe = links.mint(
                workspaceId, contactId, LinkKind.UNSUBSCRIBE, message.topic(), Channel.EMAIL, message.locale(), null);
        urls.put(Messages.UNSUBSCRIBE_URL, unsubscribe.url());
        headers.put(LIST_UNSUBSCRIBE, unsubscribe.listUnsubscribe());
        headers.put(LIST_UNSUBSCRIBE_POST, PublicLinks.ONE_CLICK);
        if (message.template().isConfirmationRequest()) {
            PublicLinks.Link confirm = links.mint(
                    workspaceId,
                    contactId,
                    LinkKind.CONFIRM,
                    message.topic(),
                    Channel.EMAIL,
                    message.locale(),
                    window.validFor());
            urls.put(Messages.CONFIRM_URL, confirm.url());
        }
        sender.send(new EmailSender.Email(
                message.recipient(),
                message.subject(),
                fill(message.body(), urls, UnaryOperator.identity()),
                fill(message.html(), urls, HtmlUtils::htmlEscape),
                headers));
    }

    /** Puts the links where the queued email holds their placeholders. */
    private static String fill(String text, Map<String, String> urls, UnaryOperator<String> escape) {
        String filled = text;
        for (Map.Entry<String, String> url : urls.entrySet()) {
            filled = filled.replace("{" + url.getKey() + "}", escape.apply(url.getValue()));
        }
        return filled;
    }
}
