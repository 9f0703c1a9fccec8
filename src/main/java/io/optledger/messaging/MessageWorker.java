package io.optledger.messaging;

import io.optledger.consent.ConsentReads;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.messaging.email.EmailDelivery;
import io.optledger.messaging.email.EmailSender;
import io.optledger.messaging.internal.JdbcMessageClaims;
import io.optledger.messaging.sms.SmsSender;
import io.optledger.platform.DatabaseFailures;
import io.optledger.platform.SupervisedLoop;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.Suppressions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Sends queued messages: claims due ones, sends each by its channel (texts through the SMS sender, emails through the
 * email sender), and marks it sent, or queues it again with exponential backoff (2 s, 4 s, 8 s, … at most 10 minutes),
 * or gives up after {@code optledger.messaging.max-attempts}, or at once on a permanent failure (an SMTP server
 * refusing the recipient for good). Every node runs one, supervised; they share the queue.
 */
@Component
class MessageWorker implements SupervisedLoop {

    private static final Logger log = LoggerFactory.getLogger(MessageWorker.class);
    private static final int BATCH = 50;
    /** Marking a sent message sent: the first try and retries for about 3 s, through a dropped connection. */
    private static final int MARK_ATTEMPTS = 5;
    /**
     * The slowest send: the HTTP sender's 10 s to connect and 10 s to answer, an SMTP server's 10 s to connect and
     * 10 s per reply. A lease shorter risks a double send.
     */
    private static final Duration SLOWEST_SEND = Duration.ofSeconds(20);

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /**
     * How long a message this node cannot read (a template or channel of a newer version) waits before it is claimed
     * again, by this node or one that can read it: long enough not to spin, short enough for a rolling upgrade.
     */
    private static final Duration UNREADABLE_RETRY = Duration.ofMinutes(5);
    /** Longer than the slowest pass: a batch of 50 whose every send waits out the HTTP sender's 10 s + 10 s. */
    private static final Duration STALL_AFTER = Duration.ofMinutes(20);

    private final JdbcMessageClaims claims;
    private final Suppressions suppressions;
    private final ConsentReads consent;
    private final SmsSender sms;
    private final EmailDelivery email;
    private final Clock clock;
    private final Duration pollInterval;
    private final int maxAttempts;
    private final String from;
    /**
     * How long a claim lasts: a message still SENDING after it is claimed again, in case its worker died. Renewed for
     * each message just before it is sent, so it need only outlast one send.
     */
    private final Duration lease;

    MessageWorker(
            JdbcMessageClaims claims,
            Suppressions suppressions,
            ConsentReads consent,
            SmsSender sms,
            EmailDelivery email,
            Clock clock,
            @Value("${optledger.messaging.poll-interval:500ms}") Duration pollInterval,
            @Value("${optledger.messaging.max-attempts:8}") int maxAttempts,
            @Value("${optledger.sms.from:OptLedger}") String from,
            @Value("${optledger.messaging.lease:60s}") Duration lease) {
        this.claims = claims;
        this.suppressions = suppressions;
        this.consent = consent;
        this.sms = sms;
        this.email = email;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.maxAttempts = maxAttempts;
        this.from = from;
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("optledger.messaging.lease must be at least 1s, not " + lease);
        }
        if (lease.compareTo(SLOWEST_SEND) <= 0) {
            log.warn(
                    "optledger.messaging.lease={} is not longer than the slowest send ({}): a slow send's message may"
                            + " be claimed and sent again by another node",
                    lease,
                    SLOWEST_SEND);
        }
        this.lease = lease;
    }

    /** Sends what is due now; answers how many messages it handled. */
    int sendDue() {
        Instant now = clock.instant();
        JdbcMessageClaims.Claim due = claims.claim(now, now.plus(lease), BATCH);
        for (JdbcMessageClaims.Unreadable row : due.unreadable()) {
            log.warn(
                    "Message {} of workspace {} cannot be read by this node ({}): left queued for {}",
                    row.id(),
                    row.workspaceId(),
                    row.reason(),
                    UNREADABLE_RETRY);
            claims.leaveUnread(row, now.plus(UNREADABLE_RETRY));
        }
        for (OutboundMessage message : due.messages()) {
            send(message);
        }
        return due.messages().size() + due.unreadable().size();
    }

    private void send(OutboundMessage message) {
        if (cancelled(message)) {
            return;
        }
        try {
            switch (message.channel()) {
                case SMS, WHATSAPP -> sms.send(from, message.recipient(), message.body());
                case EMAIL -> email.send(message);
                default -> throw new SmsSender.SendFailure("no sender for channel " + message.channel());
            }
            recordSent(message);
        } catch (SmsSender.SendFailure e) {
            failed(message, e.getMessage(), false);
        } catch (EmailSender.SendFailure e) {
            failed(message, e.getMessage(), e.permanent());
        }
    }

    /**
     * Marks a message sent, trying again on a fresh connection if the database connection broke under the mark: the
     * claim is still this worker's, and a mark that never lands has the message sent again once its lease lapses.
     */
    private void recordSent(OutboundMessage message) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!claims.markSent(message, clock.instant())) {
                    log.warn(
                            "Message {} of workspace {} was sent after its claim was lost",
                            message.id(),
                            message.workspaceId());
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= MARK_ATTEMPTS || !DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void failed(OutboundMessage message, String reason, boolean permanent) {
        boolean last = permanent || message.attempts() >= maxAttempts;
        Instant next = last ? null : clock.instant().plus(backoff(message.attempts()));
        claims.markFailedAttempt(message, next, reason);
        log.warn(
                "Message {} of workspace {} not sent (attempt {} of {}{}): {}",
                message.id(),
                message.workspaceId(),
                message.attempts(),
                maxAttempts,
                permanent ? ", not to be retried" : "",
                reason);
    }

    /**
     * Consent is checked again at send time, not only when the message was queued: a message a STOP cancelled since it
     * was claimed is not sent, one about a subscription is cancelled when its recipient is suppressed now, and a "Reply
     * Y" when no opt-in at the recipient is pending any more. The carriers' compliance replies (the opt-out
     * confirmation, help) are always sent.
     */
    private boolean cancelled(OutboundMessage message) {
        // the claim renewed for this one send: a message cancelled since, or claimed by another worker after its lease
        // lapsed while earlier ones were sent, is not this worker's to send
        if (!claims.renew(message, clock.instant().plus(lease))) {
            return true;
        }
        if (message.template().isComplianceReply()) {
            return false;
        }
        List<Suppression> suppressed =
                suppressions.findAll(message.workspaceId(), List.of(message.channel()), List.of(message.recipient()));
        if (!suppressed.isEmpty()) {
            claims.markCancelled(message, "suppressed: " + suppressed.getFirst().reason());
            return true;
        }
        if (message.template().isConfirmationRequest() && !pendingAt(message)) {
            claims.markCancelled(message, "no opt-in pending");
            return true;
        }
        return false;
    }

    /**
     * True while an opt-in at the recipient still awaits its "Y", or an email's opt-in to its topic its click: one
     * confirmed, withdrawn or expired since needs no confirming.
     */
    private boolean pendingAt(OutboundMessage message) {
        return consent
                .subscriptionsAt(message.workspaceId(), List.of(message.channel()), List.of(message.recipient()))
                .stream()
                .anyMatch(s ->
                        s.status() == Status.PENDING && !s.deleted() && (message.topic() == null || about(message, s)));
    }

    /** An email asks to confirm its contact's opt-in to its topic, and no other. */
    private static boolean about(OutboundMessage message, Subscription s) {
        return s.topic().equals(message.topic())
                && (message.contactId() == null || s.contactId() == message.contactId());
    }

    static Duration backoff(int attempts) {
        Duration backoff = Duration.ofSeconds(1L << Math.min(attempts, 20));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    @Override
    public String name() {
        return "message-worker";
    }

    @Override
    public Duration interval() {
        return pollInterval;
    }

    @Override
    public Duration stallAfter() {
        return STALL_AFTER;
    }

    /** Sends one batch of due messages; a full batch means more may be waiting. */
    @Override
    public boolean runOnce() {
        return sendDue() == BATCH;
    }
}
