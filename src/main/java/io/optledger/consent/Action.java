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
    RESUME
}
