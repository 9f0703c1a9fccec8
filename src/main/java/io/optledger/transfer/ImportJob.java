package io.optledger.transfer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An import: its file staged at upload, then applied in chunks. {@code rowsDone} rows have been applied (or, in a dry
 * run, decided), each counted under its outcome; the cursor is the last of them in the order rows are applied.
 */
public record ImportJob(
        long workspaceId,
        String id,
        State state,
        boolean dryRun,
        ImportFormat format,
        boolean notifyChanges,
        long rowsTotal,
        long rowsDone,
        Outcomes outcomes,
        Map<String, List<Map<String, Object>>> samples,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String error,
        String cursorKey,
        long cursorRow,
        long claim,
        @Nullable String apiKeyId,
        @Nullable String requestId) {

    public enum State {
        QUEUED,
        RUNNING,
        DONE,
        CANCELLED,
        FAILED;

        public boolean finished() {
            return this == DONE || this == CANCELLED || this == FAILED;
        }
    }

    /** The rows counted by what they did; {@code rejectedBy} by reason code. */
    public record Outcomes(
            long created, long changed, long unchanged, long stale, long rejected, Map<String, Long> rejectedBy) {

        public Outcomes {
            rejectedBy = Map.copyOf(rejectedBy);
        }
    }
}
