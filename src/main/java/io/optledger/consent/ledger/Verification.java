package io.optledger.consent.ledger;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The result of checking a contact's chain and state against its ledger, and its chain against the signed checkpoints
 * that cover it. {@code checkpoint} is the latest of those (null while none covers the contact yet).
 */
public record Verification(
        long contactId,
        boolean valid,
        long eventsChecked,
        @Nullable Mismatch firstMismatch,
        @Nullable Anchor checkpoint) {

    /** The first thing found wrong: where ({@code seq}, null for the current state) and what. */
    public record Mismatch(Kind kind, @Nullable Long seq, String detail) {}

    /** The latest signed checkpoint that covers the contact: its events 1 to {@code throughSeq} are anchored. */
    public record Anchor(long number, Instant createdAt, String keyId, long throughSeq) {}

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
        STATE_MISMATCH,
        /**
         * An event's hash is not the one a signed checkpoint recorded for it, or an event a checkpoint recorded is
         * gone: the chain was rewritten with its hashes recomputed.
         */
        CHECKPOINT_MISMATCH,
        /**
         * A checkpoint covering the contact does not prove itself: its signature, root, entries or link to the one
         * before no longer hold, or its key is not in the key folder.
         */
        CHECKPOINT_INVALID
    }
}
