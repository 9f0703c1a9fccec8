package io.optledger.consent;

/** The state of a subscription. No row at all means the topic's default applies. */
public enum Status {
    SUBSCRIBED,
    /** Opt-in requested, awaiting confirmation (double opt-in). */
    PENDING,
    UNSUBSCRIBED,
    /** Paused by the sender or the person, optionally until a time. */
    SUSPENDED,
    /**
     * The address no longer belongs to this contact (a recycled phone number, an email handed on): kept for the
     * ledger, but no longer the contact's subscription at that address, so it counts for nothing there.
     */
    DETACHED
}
