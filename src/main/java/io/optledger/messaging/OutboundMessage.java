package io.optledger.messaging;

import io.optledger.contact.Channel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One message to send, as queued: who to, what it says, and how sending it has gone. */
public record OutboundMessage(
        long workspaceId,
        long id,
        @Nullable Long contactId,
        Channel channel,
        String recipient,
        MessageTemplate template,
        String locale,
        String body,
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
        /** Given up on after the maximum attempts. */
        FAILED,
        /** Not sent: the recipient said STOP, or was suppressed when it was due; {@code lastError} says which. */
        CANCELLED
    }
}
