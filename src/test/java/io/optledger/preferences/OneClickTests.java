package io.optledger.preferences;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15: one-click unsubscribe (RFC 8058) as mail providers and link scanners use it, over plain HTTP: scanners'
 * fetches change nothing, the provider's POST unsubscribes once, and a link that does not open says only that.
 */
@ApiTest
class OneClickTests {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    @LocalServerPort
    int port;

    private TestWorkspace workspace;
    private long contact;
    private String path;

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port));
        contact = workspace.contact("grace@example.com", "+14155552672");
        ApiClient.Response in = workspace.change(
                Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        assertThat(in.status()).isEqualTo(200);
        path = path(Map.of("contactId", contact, "kind", "unsubscribe", "topic", "marketing", "channel", "EMAIL"));
    }

    @Test
    void scannersFetchesChangeNothingAndTheProvidersPostUnsubscribesOnce() {
        int before = events().size();
        List<Map<String, String>> scanners = List.of(
                Map.of("User-Agent", "Mozilla/5.0 (compatible; BarracudaCentral)"),
                Map.of("User-Agent", "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0)"),
                Map.of(
                        "User-Agent",
                        "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"),
                Map.of("Sec-Purpose", "prefetch", "Purpose", "prefetch"),
                Map.of("Accept", "*/*"));
        for (Map<String, String> scanner : scanners) {
            ApiClient.Response fetched = workspace.api().send("GET", path, scanner, null);
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.text()).contains("g***@example.com").doesNotContain("grace@example.com");
        }
        assertThat(workspace.api().send("HEAD", path, Map.of(), null).status()).isEqualTo(200);
        ApiClient.Response page = workspace.api().send("GET", path, Map.of(), null);
        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'none'")
                .contains("frame-ancestors 'none'");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(events()).hasSize(before);
        assertThat(eligible()).isTrue();

        // as a mail provider posts it: form-encoded, no cookie, no credentials, no Origin
        ApiClient.Response posted = workspace.api().send("POST", path, Map.of("Content-Type", FORM), ONE_CLICK);
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.text()).contains("You are unsubscribed.");
        assertThat(events()).hasSize(before + 1);
        JsonNode event = events().getLast();
        assertThat(event.get("action").asString()).isEqualTo("OPT_OUT");
        assertThat(event.get("source").asString()).isEqualTo(OneClickController.SOURCE);
        assertThat(eligible()).isFalse();

        ApiClient.Response again = workspace.api().send("POST", path, Map.of("Content-Type", FORM), ONE_CLICK);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text()).contains("You were already unsubscribed.");
        assertThat(events()).hasSize(before + 1);
    }

    @Test
    void aLinkWithoutATopicLeavesEveryMarketingTopicOnItsChannel() {
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/topics",
                                workspace.adminKey(),
                                ApiClient.json(Map.of("key", "deals", "name", "Deals", "kind", "MARKETING")))
                        .status())
                .isEqualTo(201);
        workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "deals", "action", "OPT_IN"));
        String all = path(Map.of("contactId", contact, "kind", "unsubscribe"));

        assertThat(workspace
                        .api()
                        .send("POST", all, Map.of("Content-Type", FORM), ONE_CLICK)
                        .status())
                .isEqualTo(200);

        assertThat(eligible()).isFalse();
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=deals&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isFalse();
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=transactional&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void linksThatDoNotOpenSayOnlyThatAndChangeNothing() {
        int before = events().size();
        String token = path.substring(3);
        String tampered = "/u/" + (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        for (String broken : List.of(tampered, "/u/nonsense", "/u/" + token + "x", "/p/" + token, "/c/" + token)) {
            for (String method : List.of("GET", "POST")) {
                ApiClient.Response answer =
                        workspace.api().send(method, broken, Map.of("Content-Type", FORM), ONE_CLICK);
                assertThat(answer.status()).as(method + " " + broken).isEqualTo(404);
                assertThat(answer.text())
                        .contains("This link is no longer valid")
                        .doesNotContain("Exception")
                        .doesNotContain("signature")
                        .doesNotContain("expired at");
                assertThat(answer.header("Content-Type")).startsWith("text/html");
            }
        }
        // the key that signed the link retired: the link stops working
        String keyId = workspace
                .api()
                .get("/v1/links/keys", workspace.adminKey())
                .json()
                .get("keys")
                .get(0)
                .get("id")
                .asString();
        assertThat(workspace
                        .api()
                        .post("/v1/links/keys", workspace.adminKey(), "")
                        .status())
                .isEqualTo(201);
        assertThat(workspace
                        .api()
                        .delete("/v1/links/keys/" + keyId, workspace.adminKey())
                        .status())
                .isEqualTo(200);
        assertThat(workspace
                        .api()
                        .send("POST", path, Map.of("Content-Type", FORM), ONE_CLICK)
                        .status())
                .isEqualTo(404);
        assertThat(events()).hasSize(before);
        assertThat(eligible()).isTrue();
    }

    @Test
    void aPostWithoutTheOneClickBodyOrFromAnotherSiteIsRefused() {
        int before = events().size();
        assertThat(workspace
                        .api()
                        .send("POST", path, Map.of("Content-Type", FORM), "")
                        .status())
                .isEqualTo(400);
        assertThat(workspace
                        .api()
                        .send("POST", path, Map.of("Content-Type", FORM), "List-Unsubscribe=Yes")
                        .status())
                .isEqualTo(400);
        String preferences = path(Map.of("contactId", contact, "kind", "preferences"));
        ApiClient.Response crossSite = workspace
                .api()
                .send(
                        "POST",
                        preferences,
                        Map.of("Content-Type", FORM, "Origin", "https://evil.example"),
                        "shown=EMAIL%3Amarketing%3D1&action=unsubscribe-all");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.text()).doesNotContain("Exception");
        assertThat(workspace.api().send("DELETE", path, Map.of(), null).status())
                .isEqualTo(405);
        assertThat(events()).hasSize(before);
        assertThat(eligible()).isTrue();
    }

    @Test
    void oneLinkFetchedTooOftenIsToldToWait() {
        String preferences = path(Map.of("contactId", contact, "kind", "preferences"));
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 40; i++) {
            ApiClient.Response answer = workspace.api().send("GET", preferences, Map.of(), null);
            if (answer.status() == 429) {
                limited++;
                retryAfter = answer.header("Retry-After");
            }
        }
        assertThat(limited).isPositive();
        assertThat(retryAfter).isNotNull();
    }

    private String path(Map<String, Object> request) {
        ApiClient.Response minted = workspace.api().post("/v1/links", workspace.adminKey(), ApiClient.json(request));
        assertThat(minted.status()).as(minted.text()).isEqualTo(200);
        String url = minted.json().get("url").asString();
        return url.substring(url.indexOf('/', "http://".length()));
    }

    private boolean eligible() {
        return workspace
                .eligibility("channel=EMAIL&topic=marketing&contactId=" + contact)
                .get("eligible")
                .asBoolean();
    }

    private List<JsonNode> events() {
        List<JsonNode> events = new java.util.ArrayList<>();
        workspace.events(contact).forEach(events::add);
        return events;
    }
}
