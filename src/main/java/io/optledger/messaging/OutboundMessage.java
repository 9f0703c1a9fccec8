package io.optledger.messaging;

import io.optledger.contact.Channel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One message to send, as queued: who to, what it says, and how sending it has gone. An email also has its
 * {@code subject} and {@code html} body ({@code body} is its plain text) and the {@code topic} it is about; its links
 * show as their placeholders ({@code {confirmUrl}}, {@code {unsubscribeUrl}}): they are signed when it is sent, and
 * never stored.
 */
public record OutboundMessage(
        long workspaceId,
        long id,
        @Nullable Long contactId,
        Channel channel,
        String recipient,
        MessageTemplate template,
        String locale,
        String body,
        @Nullable String topic,
        @Nullable String subject,
        @Nullable String html,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        @Nullable String lastError,
        Instant createdAt,
        @Nullable Instant sentAt) {

    /** Where a message is in its life. */
    public enum Status {
        QUEUED,
        /** Claimed by a worker; if the worker dies, the claim lapses and another sends it. */
        SENDING,
        SENT,
        /** Given up on: after the maximum attempts, or at once when the server refused the address for good. */
        FAILED,
        /**
         * Not sent: the recipient said STOP, was suppressed when it was due, or the opt-in it asks to confirm no
         * longer pends; {@code lastError} says which.
         */
        CANCELLED
    }
}
