package io.optledger.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates {@code Authorization: Bearer <key>} and checks the handler's {@link RequiresScope}. Failures are
 * thrown, so each API renders them in its own error format.
 */
@Component
public class BearerAuthentication implements HandlerInterceptor {

    private static final String PREFIX = "Bearer ";

    private final ApiKeys apiKeys;

    BearerAuthentication(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw AccessDenied.unauthenticated("send the API key as 'Authorization: Bearer <key>'");
        }
        Caller caller = apiKeys.authenticate(header.substring(PREFIX.length()).strip())
                .orElseThrow(() -> AccessDenied.unauthenticated("unknown or revoked API key"));
        CallerResolver.admit(request, method, caller);
        return true;
    }
}
