package io.optledger.suppression;

/** Why an address is suppressed. */
public enum SuppressionReason {
    BOUNCE,
    COMPLAINT,
    MANUAL,
    KEYWORD,
    LEGAL_HOLD
}
