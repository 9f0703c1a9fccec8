package io.optledger.audit;

import org.jspecify.annotations.Nullable;

/** A workspace ledger recomputed: valid, how many events were checked, and the first event found wrong. */
public record WorkspaceVerification(
        long workspaceId,
        boolean valid,
        long eventsChecked,
        @Nullable Mismatch firstMismatch) {

    public record Mismatch(long seq, String detail) {}
}
