package io.optledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The console over plain HTTP, as a forger would drive it: cookies and form tokens handled by hand. */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final ApiClient http;

    ConsoleClient(ApiClient http) {
        this.http = http;
    }

    /** A signed-in session: its cookie, the form token its pages carry, and the Set-Cookie that created it. */
    record Session(String cookie, String csrf, String setCookie) {}

    /** Signs in through the form, as a browser would; fails the test unless the key is let in. */
    Session signIn(String key) {
        ApiClient.Response signedIn = submitSignIn(key);
        assertThat(signedIn.status()).as(signedIn.text()).isEqualTo(302);
        String setCookie = setCookies(signedIn).stream()
                .filter(c -> c.startsWith(ConsoleCookies.SESSION + "="))
                .findFirst()
                .orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        ApiClient.Response dashboard = get("/console", cookie);
        assertThat(dashboard.status()).as(dashboard.text()).isEqualTo(200);
        return new Session(cookie, csrf(dashboard.text()), setCookie);
    }

    /** The sign-in form posted with its token; answers the response. */
    ApiClient.Response submitSignIn(String key) {
        return submitSignIn(key, Map.of());
    }

    ApiClient.Response submitSignIn(String key, Map<String, String> headers) {
        ApiClient.Response form = http.send("GET", "/console/sign-in", headers, null);
        assertThat(form.status()).isEqualTo(200);
        String setCookie = setCookies(form).stream()
                .filter(c -> c.startsWith(ConsoleCookies.SIGN_IN + "="))
                .findFirst()
                .orElseThrow();
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
        return post("/console/sign-in", all, Map.of("key", key, "_csrf", csrf(form.text())));
    }

    ApiClient.Response get(String path, @Nullable String cookie) {
        return http.send("GET", path, cookie == null ? Map.of() : Map.of("Cookie", cookie), null);
    }

    /** A form post with the session's cookie and the given fields (add {@code _csrf} yourself, or leave it out). */
    ApiClient.Response post(String path, Session session, Map<String, String> fields) {
        return post(path, Map.of("Cookie", session.cookie()), fields);
    }

    ApiClient.Response post(String path, Map<String, String> headers, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return http.send("POST", path, all, form(fields));
    }

    static List<String> setCookies(ApiClient.Response response) {
        return response.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream())
                .toList();
    }

    static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a form token in the page").isTrue();
        return matcher.group(1);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
