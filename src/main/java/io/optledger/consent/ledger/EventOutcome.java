package io.optledger.consent.ledger;

/** What an attempt did, as the ledger records it. */
public enum EventOutcome {
    CREATED,
    CHANGED,
    UNCHANGED,
    STALE,
    REJECTED;

    /** True when the event set the subscription's status. */
    public boolean applied() {
        return this == CREATED || this == CHANGED;
    }
}
