package io.optledger.audit;

import org.jspecify.annotations.Nullable;

/** Who made a workspace change and why: the source (api, sms-keyword, ...), a reason, and the request's provenance. */
public record Actor(
        String source,
        @Nullable String reason,
        @Nullable String apiKeyId,
        @Nullable String requestId,
        @Nullable String ip,
        @Nullable String userAgent) {

    /** A change the service makes by itself (a workspace's first topics, a dialect's topic created on first use). */
    public static Actor system(String source) {
        return new Actor(source, null, null, null, null, null);
    }
}
