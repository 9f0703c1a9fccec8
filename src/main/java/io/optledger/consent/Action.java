package io.optledger.consent;

/** What a consent command asks for. */
public enum Action {
    /** Subscribe now, whatever the topic's double opt-in policy (the caller holds the proof). */
    OPT_IN,
    /** Subscribe, or go PENDING where the topic asks for double opt-in on the channel. */
    REQUEST_OPT_IN,
    /** Confirm a PENDING subscription. */
    CONFIRM,
    OPT_OUT,
    /** Pause a subscription, optionally until {@code suspendedUntil}. */
    SUSPEND,
    /** End a suspension. */
    RESUME,
    /** Mark PENDING, an opt-in awaiting confirmation, whatever the topic's policy (Altcraft's {@code unconfirmed}). */
    AWAIT_CONFIRMATION,
    /** Soft-delete: keep the status and history, but never be eligible until a later command brings it back. */
    DELETE,
    /** Keep the status: bring back a deleted subscription and update its properties. */
    KEEP,
    /**
     * The address is no longer the contact's (its identifier detached): the subscription becomes DETACHED. Only the
     * identifier detachment asks for it; no API takes it from a caller.
     */
    DETACH,
    /**
     * A pending opt-in was not confirmed in time: PENDING becomes UNSUBSCRIBED. Not the person's choice, so neither a
     * consent action (the consent time stays the request's, and an opt-in given since still applies) nor a withdrawal;
     * dated when the opt-in lapsed, so it is stale against a request renewed after that.
     */
    EXPIRE,
    /**
     * The contact was erased (docs/erasure.md): its personal data is gone and it has no subscriptions any more. Only the
     * erasure writes it, once, as the last event of the contact's chain; it names no subscription and no API takes it
     * from a caller.
     */
    ERASE;

    /** True for the actions that act on an existing subscription only. */
    public boolean needsSubscription() {
        return this == DELETE || this == KEEP || this == DETACH;
    }

    /**
     * True for the consent actions: a person's opt-in, request, confirmation or opt-out. Only they move a
     * subscription's consent time ({@link Subscription#occurredAt()} and the time it was received); a pause, its end,
     * a delete or a property change keeps the time of the consent action before it.
     */
    public boolean movesConsentTime() {
        return this == OPT_IN
                || this == REQUEST_OPT_IN
                || this == CONFIRM
                || this == AWAIT_CONFIRMATION
                || this == OPT_OUT;
    }

    /** True for the actions that stop messages: an opt-out, a suspension, a delete. Received now, they apply now. */
    public boolean isWithdrawal() {
        return this == OPT_OUT || this == SUSPEND || this == DELETE;
    }
}
