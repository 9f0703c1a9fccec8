package io.optledger.messaging.email;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.messaging.internal.JdbcEmailConfirmations;
import io.optledger.messaging.internal.JdbcEmailConfirmations.Due;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expires email opt-ins left unconfirmed for {@code optledger.email.confirmation-days}: each becomes UNSUBSCRIBED by
 * an {@link Action#EXPIRE} on the ledger, dated when it lapsed, so a request renewed after the lapse makes it stale
 * instead of expiring the new one. Looks only at the opt-ins double opt-in recorded as pending, claimed for a lease so
 * that nodes share them; an opt-in confirmed, withdrawn or renewed since is left alone.
 */
@Component
class ConfirmationExpiry implements SupervisedLoop {

    static final String SOURCE = "email-confirmation-expiry";
    private static final Logger log = LoggerFactory.getLogger(ConfirmationExpiry.class);
    private static final int BATCH = 100;
    /** Longer than a pass over one batch: a node that dies holding a claim leaves it to the others this long after. */
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final JdbcEmailConfirmations confirmations;
    private final ConsentService consent;
    private final ConsentReads reads;
    private final TransactionTemplate transactions;
    private final ConfirmationWindow window;
    private final Clock clock;
    private final Duration interval;

    ConfirmationExpiry(
            JdbcEmailConfirmations confirmations,
            ConsentService consent,
            ConsentReads reads,
            TransactionTemplate transactions,
            ConfirmationWindow window,
            Clock clock,
            @Value("${optledger.email.expiry-interval:1m}") Duration interval) {
        this.confirmations = confirmations;
        this.consent = consent;
        this.reads = reads;
        this.transactions = transactions;
        this.window = window;
        this.clock = clock;
        this.interval = interval;
    }

    /** Expires what lapsed by now; answers how many pending opt-ins it looked at. */
    int expireDue() {
        Instant now = clock.instant();
        List<Due> due = confirmations.claim(now, now.plus(LEASE), BATCH);
        for (Due one : due) {
            try {
                transactions.executeWithoutResult(tx -> expire(one, now));
            } catch (RuntimeException e) {
                // one opt-in that cannot be expired must not hold up the others, nor stall the loop: it is looked at
                // again when its claim lapses
                log.warn(
                        "Pending email opt-in of contact {} to topic {} in workspace {} not expired; again in {}",
                        one.contactId(),
                        one.topic(),
                        one.workspaceId(),
                        LEASE,
                        e);
            }
        }
        return due.size();
    }

    private void expire(Due due, Instant now) {
        Subscription pending =
                reads.subscriptionsAt(due.workspaceId(), List.of(Channel.EMAIL), List.of(due.address())).stream()
                        .filter(s -> s.contactId() == due.contactId()
                                && s.topic().equals(due.topic())
                                && s.status() == Status.PENDING
                                && !s.deleted())
                        .findFirst()
                        .orElse(null);
        if (pending == null) {
            confirmations.forget(due);
            return;
        }
        Instant lapse = pending.updatedAt().plus(window.validFor());
        if (lapse.isAfter(now)) {
            confirmations.reschedule(due, lapse);
            return;
        }
        // dated when it lapsed (never before the request it ends): a request renewed since is newer, and stays
        Instant occurredAt = lapse.isBefore(pending.occurredAt()) ? pending.occurredAt() : lapse;
        consent.apply(new ConsentBatch(
                due.workspaceId(),
                RequestContext.none(),
                List.of(new ConsentCommand(
                        ContactRef.id(due.contactId()),
                        Channel.EMAIL,
                        due.address(),
                        due.topic(),
                        Action.EXPIRE,
                        occurredAt,
                        null,
                        new Provenance(
                                SOURCE,
                                "not confirmed within " + window.days() + " days",
                                null,
                                null,
                                null,
                                Map.of())))));
        confirmations.forget(due);
    }

    @Override
    public String name() {
        return "email-confirmation-expiry";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration stallAfter() {
        return Duration.ofMinutes(10).plus(interval);
    }

    @Override
    public boolean runOnce() {
        return expireDue() == BATCH;
    }
}
