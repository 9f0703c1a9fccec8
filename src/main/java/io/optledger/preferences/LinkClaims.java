package io.optledger.preferences;

import io.optledger.contact.Channel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a signed link says: whose it is, what it opens, for which topic and channel (null: all of them), in which
 * locale its pages speak (null: the browser's), and when it was issued and expires. Signed by the workspace key
 * {@code keyId}.
 */
public record LinkClaims(
        long workspaceId,
        long contactId,
        LinkKind kind,
        @Nullable String topic,
        @Nullable Channel channel,
        @Nullable String locale,
        Instant issuedAt,
        Instant expiresAt,
        String keyId) {}
