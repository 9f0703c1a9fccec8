package io.optledger.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The console's cookies: HttpOnly, SameSite=Strict, scoped to {@code /console} (so no API path ever receives one), and
 * Secure whenever the request came over TLS, directly or through a proxy that says so.
 */
final class ConsoleCookies {

    static final String SESSION = "olc_session";
    /** The sign-in form's token, before there is a session to hold one. */
    static final String SIGN_IN = "olc_sign_in";

    static final String PATH = "/console";

    private ConsoleCookies() {}

    static void set(HttpServletRequest request, HttpServletResponse response, String name, String value) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, name, value, -1));
    }

    static void clear(HttpServletRequest request, HttpServletResponse response, String name) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, name, "", 0));
    }

    static @Nullable String read(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** True when the client reached the service over TLS: here, or at a proxy that forwards {@code https}. */
    static boolean overTls(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        if (proto != null && proto.strip().toLowerCase(Locale.ROOT).startsWith("https")) {
            return true;
        }
        String forwarded = request.getHeader("Forwarded");
        return forwarded != null && forwarded.toLowerCase(Locale.ROOT).contains("proto=https");
    }

    private static String cookie(HttpServletRequest request, String name, String value, long maxAge) {
        return ResponseCookie.from(name, value)
                .httpOnly(true)
                .secure(overTls(request))
                .sameSite("Strict")
                .path(PATH)
                .maxAge(maxAge)
                .build()
                .toString();
    }
}
