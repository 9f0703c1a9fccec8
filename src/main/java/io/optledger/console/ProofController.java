package io.optledger.console;

import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The proof download: the console asks the API's {@code GET /v1/contacts/{id}/proof} on the operator's behalf, with the
 * session's key as its bearer key, and hands back the API's answer as it is. The browser's cookie never reaches
 * {@code /v1}; the API checks the key and its scope as it would for any caller.
 */
@Controller
class ProofController {

    @GetMapping("/console/people/{id}/proof")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    void proof(Operator operator, @PathVariable long id, HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String key = (String) request.getAttribute(ConsoleAccess.KEY_ATTRIBUTE);
        request.getRequestDispatcher("/v1/contacts/" + id + "/proof").forward(new AsKey(request, key), response);
    }

    /** The request as the API sees it: the key in {@code Authorization}, no cookie. */
    private static final class AsKey extends HttpServletRequestWrapper {

        private final String authorization;

        AsKey(HttpServletRequest request, String key) {
            super(request);
            this.authorization = "Bearer " + key;
        }

        @Override
        public @Nullable String getHeader(String name) {
            if (HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name)) {
                return authorization;
            }
            return HttpHeaders.COOKIE.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name)) {
                return Collections.enumeration(List.of(authorization));
            }
            return HttpHeaders.COOKIE.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (String name : Collections.list(super.getHeaderNames())) {
                if (!HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) && !HttpHeaders.COOKIE.equalsIgnoreCase(name)) {
                    names.add(name);
                }
            }
            names.add(HttpHeaders.AUTHORIZATION);
            return Collections.enumeration(names);
        }

        @Override
        public jakarta.servlet.http.Cookie @Nullable [] getCookies() {
            return null;
        }
    }
}
