package io.optledger.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of a workspace's ledger. {@code subject} names what changed ({@code SMS:+14155550142},
 * {@code topic:marketing}); {@code before} and {@code after} are its state in canonical text (null where it did not
 * exist). An erased event ({@code erasedAt} set: it was about an erased contact or one of its addresses) has lost its
 * subject, states, reason, IP and user agent; its stored hash stands (docs/erasure.md).
 */
public record WorkspaceEvent(
        long workspaceId,
        long seq,
        WorkspaceEventKind kind,
        @Nullable String subject,
        @Nullable String before,
        @Nullable String after,
        Instant recordedAt,
        String source,
        @Nullable String reason,
        @Nullable String apiKeyId,
        @Nullable String requestId,
        @Nullable String ip,
        @Nullable String userAgent,
        String prevHash,
        String hash,
        @Nullable Instant erasedAt) {}
