package io.optledger.preferences;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's key for signing links: a 256-bit HMAC secret under an id that links carry. The newest key not retired
 * signs new links; every key not retired verifies, so rotating does not break links already in inboxes.
 */
public record LinkKey(
        String id,
        byte[] secret,
        Instant createdAt,
        @Nullable Instant retiredAt) {

    public boolean retired() {
        return retiredAt != null;
    }

    /** The key without its secret, as the API shows it. */
    public Summary summary() {
        return new Summary(id, createdAt, retiredAt);
    }

    public record Summary(
            String id, Instant createdAt, @Nullable Instant retiredAt) {}
}
