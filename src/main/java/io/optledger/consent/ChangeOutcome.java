package io.optledger.consent;

import org.jspecify.annotations.Nullable;

/** What one command did. Every dialect maps it with an exhaustive switch. */
public sealed interface ChangeOutcome {

    /** The first explicit state of this subscription. */
    record Created(Subscription subscription, long eventSeq) implements ChangeOutcome {}

    record Changed(Status from, Subscription subscription, long eventSeq) implements ChangeOutcome {}

    /** Already in the requested state; the attempt is on the ledger. */
    record Unchanged(Subscription subscription, long eventSeq) implements ChangeOutcome {}

    /** Older than the current state: on the ledger, state kept. */
    record Stale(Subscription current, long eventSeq) implements ChangeOutcome {}

    /**
     * Not applied. {@code eventSeq} is set where the rejection is a consent decision about a known subscription, and so
     * on the ledger; {@code contactId} where the contact was found.
     */
    record Rejected(
            RejectReason reason,
            String message,
            @Nullable Long contactId,
            @Nullable Long eventSeq) implements ChangeOutcome {}
}
