package io.optledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.console.ConsoleClient.Session;
import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the console's security over plain HTTP, as a forger would try it: sessions and their cookie, form tokens,
 * scopes enforced on every post whatever the page showed, workspaces kept apart, and the API untouched by the cookie.
 */
class ConsoleAccessTests extends WorkspaceApiTest {

    private ConsoleClient console;
    private long contact;

    @BeforeEach
    void setUp() {
        console = new ConsoleClient(api);
        contact = workspace.contact("ada@example.com", "+14155552671");
        assertThat(workspace
                        .change(Map.of(
                                "contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictScopedToTheConsoleAndSecureBehindTls() {
        Session session = console.signIn(workspace.adminKey());
        assertThat(session.setCookie())
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/console")
                .doesNotContain("Secure")
                .doesNotContain("Max-Age")
                .doesNotContain(workspace.adminKey());

        ApiClient.Response overTls = console.submitSignIn(workspace.adminKey(), Map.of("X-Forwarded-Proto", "https"));
        assertThat(ConsoleClient.setCookies(overTls))
                .filteredOn(c -> c.startsWith(ConsoleCookies.SESSION + "="))
                .singleElement()
                .asString()
                .contains("Secure")
                .contains("HttpOnly")
                .contains("SameSite=Strict");
        assertThat(console.get("/console", session.cookie()).header("Content-Security-Policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'");
    }

    @Test
    void aWrongKeyOrOneThatCannotReadIsNotLetIn() {
        assertThat(console.submitSignIn("olk_not_a_key_0123456789").status()).isEqualTo(401);
        assertThat(console.submitSignIn(workspace.key("sms:inbound")).status()).isEqualTo(403);
        assertThat(console.get("/console", null).status()).isEqualTo(303);
        assertThat(console.get("/console", null).header("Location")).isEqualTo("/console/sign-in");
        // a sign-in posted without the form's own token is refused before the key is even looked at
        ApiClient.Response forged =
                console.post("/console/sign-in", Map.of(), Map.of("key", workspace.adminKey(), "_csrf", "guess"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(ConsoleClient.setCookies(forged)).noneMatch(c -> c.startsWith(ConsoleCookies.SESSION + "="));
    }

    @Test
    void aPostWithoutTheFormTokenOrFromAnotherOriginIsRefusedAndWritesNothing() {
        Session session = console.signIn(workspace.adminKey());
        int before = workspace.events(contact).size();
        Map<String, String> change = change("OPT_OUT", "cleaning up");

        assertThat(console.post(path(contact), session, change).status()).isEqualTo(403);
        Map<String, String> wrongToken = new HashMap<>(change);
        wrongToken.put("_csrf", session.csrf() + "x");
        assertThat(console.post(path(contact), session, wrongToken).status()).isEqualTo(403);
        Map<String, String> withToken = new HashMap<>(change);
        withToken.put("_csrf", session.csrf());
        assertThat(console.post(
                                path(contact),
                                Map.of("Cookie", session.cookie(), "Origin", "https://evil.example"),
                                withToken)
                        .status())
                .isEqualTo(403);
        assertThat(workspace.events(contact).size()).isEqualTo(before);

        // the same post with its token goes through, and names the console and the key on the ledger
        ApiClient.Response done = console.post(path(contact), session, withToken);
        assertThat(done.status()).as(done.text()).isEqualTo(302);
        assertThat(workspace.events(contact).size()).isEqualTo(before + 1);
        assertThat(workspace.events(contact).get(before).get("source").asString())
                .startsWith("console:key:key_");
        assertThat(workspace.events(contact).get(before).get("reason").asString())
                .isEqualTo("cleaning up");
    }

    @Test
    void aReadOnlyKeysForgedPostsAreRefusedWithAValidToken() {
        Session reader = console.signIn(workspace.key("subscriptions:read"));
        ApiClient.Response page = console.get("/console/people/" + contact, reader.cookie());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("ada@example.com").doesNotContain("/subscriptions\"");
        int events = workspace.events(contact).size();

        Map<String, String> change = new HashMap<>(change("OPT_OUT", "forged"));
        change.put("_csrf", reader.csrf());
        assertThat(console.post(path(contact), reader, change).status()).isEqualTo(403);
        assertThat(console.post(
                                "/console/suppressions",
                                reader,
                                Map.of(
                                        "_csrf",
                                        reader.csrf(),
                                        "channel",
                                        "EMAIL",
                                        "address",
                                        "ada@example.com",
                                        "reason",
                                        "MANUAL"))
                        .status())
                .isEqualTo(403);
        assertThat(console.post(
                                "/console/keys",
                                reader,
                                Map.of("_csrf", reader.csrf(), "name", "mine", "scope", "ADMIN"))
                        .status())
                .isEqualTo(403);
        assertThat(console.get("/console/keys", reader.cookie()).status()).isEqualTo(403);

        assertThat(workspace.events(contact).size()).isEqualTo(events);
        assertThat(api.get("/v1/suppressions", workspace.adminKey()).json().get("suppressions"))
                .isEmpty();
        assertThat(api.get("/v1/api-keys", workspace.adminKey()).json().get("keys"))
                .hasSize(2);
    }

    @Test
    void anotherWorkspacesPersonIsNotFound() {
        TestWorkspace other = TestWorkspace.create(api);
        long theirs = other.contact("grace@example.com", "+14155550100");
        Session session = console.signIn(workspace.adminKey());

        assertThat(console.get("/console/people/" + theirs, session.cookie()).status())
                .isEqualTo(404);
        assertThat(console.get("/console/people/" + theirs + "/verify", session.cookie())
                        .status())
                .isEqualTo(404);
        assertThat(console.get("/console/people?q=grace%40example.com", session.cookie())
                        .text())
                .doesNotContain("/console/people/" + theirs)
                .contains("No one in this workspace");
        Map<String, String> change = new HashMap<>(change("OPT_OUT", "not mine"));
        change.put("_csrf", session.csrf());
        change.put("address", "grace@example.com");
        assertThat(console.post(path(theirs), session, change).status()).isEqualTo(400);
        assertThat(other.events(theirs)).isEmpty();
    }

    @Test
    void searchFindsByAnyIdentifierExactlyAndMasksTheList() {
        api.post(
                "/v1/contacts",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "email",
                        "ada@example.com",
                        "externalId",
                        "crm-4242",
                        "identifiers",
                        Map.of("shopifyId", "sh-77"))));
        Session session = console.signIn(workspace.key("subscriptions:read"));
        for (String q : new String[] {"ADA@example.com", "(415) 555-2671", "crm-4242", "sh-77"}) {
            ApiClient.Response found = console.get("/console/people?q=" + encode(q), session.cookie());
            assertThat(found.text())
                    .as(q)
                    .contains("/console/people/" + contact)
                    .contains("a***@example.com")
                    .doesNotContain("ada@example.com");
        }
        assertThat(console.get("/console/people?q=crm-424", session.cookie()).text())
                .doesNotContain("/console/people/" + contact);
    }

    @Test
    void theCookieIsNeverAnApiCredentialAndSigningOutOrRevokingEndsTheSession() {
        String key = workspace.key("admin");
        Session session = console.signIn(key);
        assertThat(api.send("GET", "/v1/topics", Map.of("Cookie", session.cookie()), null)
                        .status())
                .isEqualTo(401);

        assertThat(console.post("/console/sign-out", session, Map.of("_csrf", session.csrf()))
                        .status())
                .isEqualTo(302);
        assertThat(console.get("/console", session.cookie()).status()).isEqualTo(303);

        Session again = console.signIn(key);
        String id = api.get("/v1/api-keys", workspace.adminKey())
                .json()
                .get("keys")
                .valueStream()
                .filter(k ->
                        !k.get("id").asString().isEmpty() && k.get("scopes").size() == 1)
                .map(k -> k.get("id").asString())
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(api.delete("/v1/api-keys/" + id, workspace.adminKey()).status())
                .isEqualTo(204);
        assertThat(console.get("/console", again.cookie()).status()).isEqualTo(303);
    }

    @Test
    void theProofDownloadAsksTheApiWithTheSessionsKeyNeverTheCookie() {
        Session session = console.signIn(workspace.key("subscriptions:read"));
        ApiClient.Response proof = console.get("/console/people/" + contact + "/proof", session.cookie());
        // the API's own answer for the key: the contact's proof
        assertThat(proof.status()).as(proof.text()).isEqualTo(200);
        assertThat(proof.json().get("contactId").asLong()).isEqualTo(contact);
        assertThat(console.get("/console/people/" + contact + "/proof", null).status())
                .isEqualTo(303);
    }

    private static Map<String, String> change(String action, String reason) {
        return Map.of(
                "channel",
                "EMAIL",
                "address",
                "ada@example.com",
                "topic",
                "marketing",
                "action",
                action,
                "reason",
                reason);
    }

    private static String path(long contact) {
        return "/console/people/" + contact + "/subscriptions";
    }

    private static String encode(String q) {
        return java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8);
    }
}
