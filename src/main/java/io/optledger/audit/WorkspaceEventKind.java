package io.optledger.audit;

/** What a workspace ledger event records. */
public enum WorkspaceEventKind {
    SUPPRESSION_ADDED,
    /** A suppression already there given another reason: a complaint over a bounce, say. */
    SUPPRESSION_CHANGED,
    SUPPRESSION_LIFTED,
    TOPIC_CREATED,
    TOPIC_CHANGED,
    /** An identifier taken from a contact (a recycled phone number): subject {@code contact:<id>}. */
    IDENTIFIER_DETACHED
}
