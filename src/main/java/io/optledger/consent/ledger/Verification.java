package io.optledger.consent.ledger;

import org.jspecify.annotations.Nullable;

/** The result of checking a contact's chain and state against its ledger. */
public record Verification(
        long contactId,
        boolean valid,
        long eventsChecked,
        @Nullable Mismatch firstMismatch) {

    /** The first thing found wrong: where ({@code seq}, null for the current state) and what. */
    public record Mismatch(Kind kind, @Nullable Long seq, String detail) {}

    public enum Kind {
        /** A seq missing or repeated. */
        SEQUENCE_GAP,
        /** An event's prevHash is not the hash of the event before it. */
        BROKEN_LINK,
        /** An event's content no longer matches its hash. */
        HASH_MISMATCH,
        /** The contact's recorded chain head is not its last event. */
        HEAD_MISMATCH,
        /** The current state differs from what the ledger says it must be. */
        STATE_MISMATCH
    }
}
