package io.optledger.idempotency;

/** What claiming an idempotency key found. */
public sealed interface Claim {

    /**
     * The key is new (or was abandoned): process the request, then {@link IdempotencyKeys#complete} with this claim,
     * which fences it: a claim another request took over since can no longer complete, nor release the key.
     */
    record Fresh(java.time.Instant claimedAt) implements Claim {}

    /** The request was done before: answer this again. */
    record Replay(int status, String body) implements Claim {}

    /** A request with this key is being processed now. */
    record InFlight() implements Claim {}

    /** The key was used for a different request body. */
    record Mismatch() implements Claim {}
}
