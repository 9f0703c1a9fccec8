package io.optledger.messaging.email;

import io.optledger.consent.PendingOptInsRecorded;
import io.optledger.consent.PendingOptInsRecorded.PendingOptIn;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.contact.Contacts;
import io.optledger.messaging.MessageTemplate;
import io.optledger.messaging.Messages;
import io.optledger.messaging.internal.JdbcEmailConfirmations;
import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Email double opt-in: for every email subscription an opt-in request leaves PENDING, queues one confirmation email,
 * in the request's own transaction (the event is published inside it), so a rollback queues nothing. A request
 * repeated while one is pending asks again at most once per {@code optledger.email.resend-interval} for the contact
 * and topic; between, it only moves the opt-in's expiry.
 */
@Component
class ConfirmationRequests {

    private static final Logger log = LoggerFactory.getLogger(ConfirmationRequests.class);
    /** The contact attribute that names the person's language, when the request does not. */
    static final String LOCALE_ATTRIBUTE = "locale";

    private final Messages messages;
    private final JdbcEmailConfirmations confirmations;
    private final Contacts contacts;
    private final Topics topics;
    private final ConfirmationWindow window;
    private final Clock clock;

    ConfirmationRequests(
            Messages messages,
            JdbcEmailConfirmations confirmations,
            Contacts contacts,
            Topics topics,
            ConfirmationWindow window,
            Clock clock) {
        this.messages = messages;
        this.confirmations = confirmations;
        this.contacts = contacts;
        this.topics = topics;
        this.window = window;
        this.clock = clock;
    }

    /** Runs in the consent batch's transaction, which holds the contacts' locks: one request per contact at a time. */
    @EventListener
    void on(PendingOptInsRecorded event) {
        Instant now = clock.instant();
        long workspaceId = event.workspaceId();
        for (PendingOptIn optIn : event.optIns()) {
            Subscription s = optIn.subscription();
            if (s.channel() != Channel.EMAIL) {
                continue;
            }
            // pending since the request was received: the expiry counts from it
            Instant lapse = s.updatedAt().plus(window.validFor());
            Instant last = confirmations.lastQueued(workspaceId, s.contactId(), s.topic());
            if (last != null && last.isAfter(now.minus(window.resendInterval()))) {
                confirmations.pending(workspaceId, s.contactId(), s.topic(), s.address(), lapse, null);
                log.debug(
                        "No confirmation email for contact {} and topic {}: one was queued at {}",
                        s.contactId(),
                        s.topic(),
                        last);
                continue;
            }
            confirmations.pending(workspaceId, s.contactId(), s.topic(), s.address(), lapse, now);
            Topic topic = topics.get(workspaceId, s.topic());
            messages.enqueueEmail(
                    workspaceId,
                    s.contactId(),
                    s.address(),
                    MessageTemplate.EMAIL_CONFIRMATION_REQUEST,
                    locale(workspaceId, optIn),
                    s.topic(),
                    Map.of("topic", topic.name(), "days", Long.toString(window.days())));
        }
    }

    /** The language the request names (a sign-up unit's), else the contact's {@code locale} attribute, else en-US. */
    private String locale(long workspaceId, PendingOptIn optIn) {
        String requested = optIn.provenance().details().get(LOCALE_ATTRIBUTE);
        if (requested != null) {
            return requested;
        }
        Object attribute = contacts.get(workspaceId, optIn.subscription().contactId())
                .attributes()
                .get(LOCALE_ATTRIBUTE);
        return attribute instanceof String locale ? locale : MessageTemplate.EN_US;
    }
}
