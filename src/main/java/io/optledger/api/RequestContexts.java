package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.consent.RequestContext;
import io.optledger.platform.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/** The ledger's view of an HTTP request. */
final class RequestContexts {

    private static final int MAX_USER_AGENT = 512;

    private RequestContexts() {}

    static RequestContext of(HttpServletRequest request, Caller caller) {
        String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        return new RequestContext(request.getRemoteAddr(), userAgent, caller.keyId(), RequestIdFilter.of(request));
    }
}
