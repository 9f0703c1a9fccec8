package io.optledger.suppression;

/** Why an address is suppressed. */
public enum SuppressionReason {
    BOUNCE,
    COMPLAINT,
    MANUAL,
    KEYWORD,
    LEGAL_HOLD,
    /**
     * The address belonged to an erased contact: a tombstone (a keyed hash of the address, never the address), which
     * keeps it from marketing until lifted. Only the erasure makes it.
     */
    ERASED
}
