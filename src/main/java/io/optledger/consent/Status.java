package io.optledger.consent;

/** The state of a subscription. No row at all means the topic's default applies. */
public enum Status {
    SUBSCRIBED,
    /** Opt-in requested, awaiting confirmation (double opt-in). */
    PENDING,
    UNSUBSCRIBED,
    /** Paused by the sender or the person, optionally until a time. */
    SUSPENDED
}
