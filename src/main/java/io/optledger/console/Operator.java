package io.optledger.console;

import io.optledger.access.Caller;
import io.optledger.access.Scope;
import io.optledger.consent.RequestContext;
import io.optledger.platform.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/** The signed-in operator of a console request: the key's caller as the API would see it, and the session's form token. */
record Operator(Caller caller, String csrfToken) {

    static final String ATTRIBUTE = Operator.class.getName();

    long workspaceId() {
        return caller.workspaceId();
    }

    boolean isAdmin() {
        return caller.may(Scope.ADMIN);
    }

    /** The source a change made in the console is recorded with: the console, and the key that made it. */
    String source() {
        return "console:key:" + caller.keyId();
    }

    /** The ledger's view of the request: client IP, user agent, the key and the request id. */
    RequestContext context(HttpServletRequest request) {
        return new RequestContext(
                request.getRemoteAddr(),
                request.getHeader(HttpHeaders.USER_AGENT),
                caller.keyId(),
                RequestIdFilter.of(request));
    }
}
