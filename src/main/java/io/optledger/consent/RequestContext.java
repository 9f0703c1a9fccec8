package io.optledger.consent;

import io.optledger.audit.Actor;
import io.optledger.platform.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/** The request a batch arrived in, for the ledger: client IP and user agent, the API key and the request id. */
public record RequestContext(
        @Nullable String ip,
        @Nullable String userAgent,
        @Nullable String apiKeyId,
        @Nullable String requestId) {

    private static final int MAX_USER_AGENT = 512;

    public RequestContext {
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
    }

    /** The ledger's view of an HTTP request made with the given key. */
    public static RequestContext of(HttpServletRequest request, String apiKeyId) {
        return new RequestContext(
                request.getRemoteAddr(),
                request.getHeader(HttpHeaders.USER_AGENT),
                apiKeyId,
                RequestIdFilter.of(request));
    }

    public static RequestContext none() {
        return new RequestContext(null, null, null, null);
    }

    /** The same provenance as the workspace ledger records who changed something: by {@code source}, for {@code reason}. */
    public Actor actor(String source, @Nullable String reason) {
        return new Actor(source, reason, apiKeyId, requestId, ip, userAgent);
    }
}
