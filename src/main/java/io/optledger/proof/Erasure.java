package io.optledger.proof;

import java.time.Instant;

/**
 * What erasing a contact did: when, the seq of the erasure's event on its chain, how many of its events lost their
 * personal fields, and how many addresses were left as tombstones. {@code alreadyErased} when the contact had been
 * erased before: the answer is then that first erasure's.
 */
public record Erasure(
        long contactId, Instant erasedAt, long ledgerSeq, int eventsErased, int tombstones, boolean alreadyErased) {}
