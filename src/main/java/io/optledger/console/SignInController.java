package io.optledger.console;

import io.optledger.access.ApiKeys;
import io.optledger.access.Caller;
import io.optledger.access.RateLimits;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in with an API key (which becomes a session), and out. */
@Controller
class SignInController {

    private static final int MAX_KEY = 512;

    private final ApiKeys keys;
    private final ConsoleSessions sessions;
    private final ConsoleAccess access;
    private final RateLimits limits;
    private final int perSecond;

    SignInController(
            ApiKeys keys,
            ConsoleSessions sessions,
            ConsoleAccess access,
            RateLimits limits,
            @Value("${optledger.console.sign-ins-per-second-per-ip:5}") int perSecond) {
        this.keys = keys;
        this.sessions = sessions;
        this.access = access;
        this.limits = limits;
        this.perSecond = perSecond;
    }

    @GetMapping(path = "/console/sign-in", produces = MediaType.TEXT_HTML_VALUE)
    String form(HttpServletRequest request, HttpServletResponse response, Model model) {
        return form(request, response, model, null);
    }

    @PostMapping(path = "/console/sign-in", produces = MediaType.TEXT_HTML_VALUE)
    String signIn(
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            @RequestParam(name = "key", defaultValue = "") String key,
            @RequestParam(name = ConsoleAccess.CSRF_FIELD, defaultValue = "") String token) {
        if (!limits.take("console-sign-in:" + request.getRemoteAddr(), "console-sign-in", perSecond)
                .allowed()) {
            throw new ConsoleRefused(HttpStatus.TOO_MANY_REQUESTS, "too many sign-in attempts; wait a moment");
        }
        access.sameOrigin(request);
        String expected = ConsoleCookies.read(request, ConsoleCookies.SIGN_IN);
        if (expected == null || !ConsoleAccess.equal(token, expected)) {
            throw new ConsoleRefused(HttpStatus.FORBIDDEN, "the sign-in form's token is missing or wrong; reload it");
        }
        String secret = key.strip();
        Optional<Caller> caller =
                secret.isEmpty() || secret.length() > MAX_KEY ? Optional.empty() : keys.authenticate(secret);
        if (caller.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            return form(request, response, model, "console.signIn.refused");
        }
        if (!caller.get().may(Scope.SUBSCRIPTIONS_READ)) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            return form(request, response, model, "console.signIn.cannotRead");
        }
        // a new session every time: a session id planted before sign-in is never promoted
        String previous = ConsoleCookies.read(request, ConsoleCookies.SESSION);
        if (previous != null) {
            sessions.close(previous);
        }
        ConsoleSession session =
                sessions.open(secret, caller.get().workspaceId(), caller.get().keyId());
        ConsoleCookies.set(request, response, ConsoleCookies.SESSION, session.id());
        ConsoleCookies.clear(request, response, ConsoleCookies.SIGN_IN);
        return "redirect:/console";
    }

    @PostMapping(path = "/console/sign-out", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    String signOut(HttpServletRequest request, HttpServletResponse response, Operator operator) {
        String id = ConsoleCookies.read(request, ConsoleCookies.SESSION);
        if (id != null) {
            sessions.close(id);
        }
        ConsoleCookies.clear(request, response, ConsoleCookies.SESSION);
        return "redirect:/console/sign-in?signedOut";
    }

    private String form(HttpServletRequest request, HttpServletResponse response, Model model, @Nullable String error) {
        String token = ConsoleSessions.token();
        ConsoleCookies.set(request, response, ConsoleCookies.SIGN_IN, token);
        model.addAttribute("signInToken", token);
        model.addAttribute("error", error);
        model.addAttribute("signedOut", request.getParameter("signedOut") != null);
        model.addAttribute("idleMinutes", sessions.idleTimeout().toMinutes());
        return "console/sign-in";
    }
}
