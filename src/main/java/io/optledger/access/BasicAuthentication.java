package io.optledger.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates {@code Authorization: Basic base64(user:password)} where the password is an API key or the lowercase
 * hex MD5 of one, and checks the handler's {@link RequiresScope}. The password alone names the key, so the user name
 * (by convention the key's id) is not checked. Failures are thrown, so each dialect renders them in its own shape.
 */
@Component
public class BasicAuthentication implements HandlerInterceptor {

    private static final String PREFIX = "Basic ";

    private final ApiKeys apiKeys;

    BasicAuthentication(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Caller caller = apiKeys.authenticateKeyOrMd5(password(request.getHeader(HttpHeaders.AUTHORIZATION)))
                .orElseThrow(() -> AccessDenied.unauthenticated("invalid user name or password"));
        CallerResolver.admit(request, method, caller);
        return true;
    }

    private static String password(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw AccessDenied.unauthenticated("send 'Authorization: Basic base64(keyId:key)' or with md5(key)");
        }
        String credentials;
        try {
            credentials = new String(
                    Base64.getDecoder().decode(header.substring(PREFIX.length()).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AccessDenied.unauthenticated("the Basic credentials are not valid base64");
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            throw AccessDenied.unauthenticated("the Basic credentials have no ':' between user name and password");
        }
        return credentials.substring(colon + 1);
    }
}
