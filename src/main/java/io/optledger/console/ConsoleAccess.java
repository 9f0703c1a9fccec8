package io.optledger.console;

import io.optledger.access.ApiKeys;
import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Admits a console request: its session cookie names a live session whose API key is still active (checked with the
 * access module, as a bearer key is), a form posted carries the session's token and comes from this origin, and the
 * key holds the scope the handler needs ({@link RequiresScope}; without one, reading for a GET and admin for a POST).
 * A page asked for without a session goes to the sign-in form.
 */
@Component
class ConsoleAccess implements HandlerInterceptor {

    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** The session's API key, for the one handler that calls the API on the operator's behalf (the proof). */
    static final String KEY_ATTRIBUTE = ConsoleAccess.class.getName() + ".key";

    private final ConsoleSessions sessions;
    private final ApiKeys keys;
    private final @Nullable String publicAuthority;

    ConsoleAccess(ConsoleSessions sessions, ApiKeys keys, @Value("${optledger.public-url:}") String publicUrl) {
        this.sessions = sessions;
        this.keys = keys;
        this.publicAuthority =
                publicUrl.isBlank() ? null : URI.create(publicUrl).getRawAuthority();
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        boolean post = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
        Optional<ConsoleSession> session = session(request);
        Optional<Caller> caller = session.flatMap(s -> keys.authenticate(s.apiKey()));
        if (session.isPresent() && caller.isEmpty()) {
            // the key was revoked since: the session ends with it
            sessions.close(session.get().id());
        }
        if (caller.isEmpty()) {
            ConsoleCookies.clear(request, response, ConsoleCookies.SESSION);
            if (post || request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", "/console/sign-in");
                throw new ConsoleRefused(HttpStatus.UNAUTHORIZED, "not signed in");
            }
            response.setStatus(HttpStatus.SEE_OTHER.value());
            response.setHeader(HttpHeaders.LOCATION, "/console/sign-in");
            return false;
        }
        if (post) {
            sameOrigin(request);
            String token = request.getParameter(CSRF_FIELD);
            if (token == null) {
                token = request.getHeader(CSRF_HEADER);
            }
            if (!equal(token, session.get().csrfToken())) {
                throw new ConsoleRefused(HttpStatus.FORBIDDEN, "the form's token is missing or wrong");
            }
        }
        RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
        Scope scope = required != null ? required.value() : post ? Scope.ADMIN : Scope.SUBSCRIPTIONS_READ;
        if (!caller.get().may(scope)) {
            throw new ConsoleRefused(HttpStatus.FORBIDDEN, "the key lacks the " + scope.value() + " scope");
        }
        request.setAttribute(
                Operator.ATTRIBUTE, new Operator(caller.get(), session.get().csrfToken()));
        // only the proof download reads it, to ask the API as the operator's key (never written to the response)
        request.setAttribute(KEY_ATTRIBUTE, session.get().apiKey());
        return true;
    }

    private Optional<ConsoleSession> session(HttpServletRequest request) {
        String id = ConsoleCookies.read(request, ConsoleCookies.SESSION);
        return id == null || id.length() > 64 ? Optional.empty() : sessions.find(id);
    }

    /**
     * Refuses a form posted from another site. Browsers name the page's origin on a POST; with SameSite=Strict the
     * cookie would not come along anyway, so this is the second lock on the door.
     */
    void sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        URI parsed;
        try {
            parsed = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw new ConsoleRefused(HttpStatus.FORBIDDEN, "a form posted from an unreadable origin");
        }
        String authority = parsed.getRawAuthority();
        // the public URL's host too: a proxy may rewrite Host
        if (authority == null || !(authority.equalsIgnoreCase(host) || authority.equalsIgnoreCase(publicAuthority))) {
            throw new ConsoleRefused(HttpStatus.FORBIDDEN, "a form posted from another origin");
        }
    }

    static boolean equal(@Nullable String given, String expected) {
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
