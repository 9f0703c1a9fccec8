package io.optledger.access;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An API key as listed: never its secret. */
public record ApiKey(
        String id,
        long workspaceId,
        String name,
        Set<Scope> scopes,
        Instant createdAt,
        @Nullable Instant revokedAt) {

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }
}
