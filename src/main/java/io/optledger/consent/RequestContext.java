package io.optledger.consent;

import org.jspecify.annotations.Nullable;

/** The request a batch arrived in, for the ledger: client IP and user agent, the API key and the request id. */
public record RequestContext(
        @Nullable String ip,
        @Nullable String userAgent,
        @Nullable String apiKeyId,
        @Nullable String requestId) {

    public static RequestContext none() {
        return new RequestContext(null, null, null, null);
    }
}
