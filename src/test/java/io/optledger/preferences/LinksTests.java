package io.optledger.preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Issue 15: signed links minted through the API, verified without a row, rotated without breaking old ones. */
@ApiTest
class LinksTests {

    @LocalServerPort
    int port;

    @Autowired
    LinkTokens tokens;

    @Autowired
    LinkKeys keys;

    private TestWorkspace workspace;
    private long contact;

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port));
        contact = workspace.contact("ada@example.com", "+14155552671");
    }

    @Test
    void aPreferenceLinkByEmailCarriesNoAddressAndComesWithTheOneClickHeaders() {
        JsonNode link = mint(Map.of("email", "Ada@Example.com", "kind", "preferences", "locale", "fr-CA"));

        assertThat(link.get("contactId").asLong()).isEqualTo(contact);
        String url = link.get("url").asString();
        assertThat(url)
                .startsWith("http://localhost:" + port + "/p/")
                .doesNotContain("ada")
                .doesNotContain("4155");
        String unsubscribe = link.get("unsubscribeUrl").asString();
        assertThat(unsubscribe).contains("/u/");
        assertThat(link.get("headers").get("List-Unsubscribe").asString()).isEqualTo("<" + unsubscribe + ">");
        assertThat(link.get("headers").get("List-Unsubscribe-Post").asString()).isEqualTo("List-Unsubscribe=One-Click");
        LinkClaims claims = tokens.verify(token(url), LinkKind.PREFERENCES);
        assertThat(claims.workspaceId()).isEqualTo(workspace.id());
        assertThat(claims.contactId()).isEqualTo(contact);
        assertThat(claims.locale()).isEqualTo("fr-CA");
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofDays(90));
        assertThat(tokens.verify(token(unsubscribe), LinkKind.UNSUBSCRIBE).kind())
                .isEqualTo(LinkKind.UNSUBSCRIBE);
    }

    @Test
    void anUnsubscribeLinkIsScopedAndAnSmsOneHasNoEmailHeaders() {
        JsonNode email =
                mint(Map.of("contactId", contact, "kind", "unsubscribe", "topic", "marketing", "channel", "EMAIL"));
        LinkClaims claims = tokens.verify(token(email.get("url").asString()), LinkKind.UNSUBSCRIBE);
        assertThat(claims.topic()).isEqualTo("marketing");
        assertThat(claims.channel()).hasToString("EMAIL");
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofDays(365));
        assertThat(email.get("unsubscribeUrl").asString())
                .isEqualTo(email.get("url").asString());

        JsonNode sms = mint(Map.of("phone", "(415) 555-2671", "kind", "unsubscribe", "channel", "SMS"));
        assertThat(sms.has("headers")).isFalse();
        JsonNode confirm = mint(Map.of("contactId", contact, "kind", "confirm", "lifetimeDays", 2));
        assertThat(confirm.has("headers")).isFalse();
        LinkClaims confirmClaims = tokens.verify(token(confirm.get("url").asString()), LinkKind.CONFIRM);
        assertThat(Duration.between(confirmClaims.issuedAt(), confirmClaims.expiresAt()))
                .isEqualTo(Duration.ofDays(2));
    }

    @Test
    void tamperedForeignExpiredAndMisusedTokensAllFailAlike() {
        String token = token(mint(Map.of("contactId", contact, "kind", "unsubscribe"))
                .get("url")
                .asString());
        String body = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.'));
        String claims = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8);
        // the same claims for another contact, and for another workspace, under the original signature
        String otherContact = claims.replace("\"c\":" + contact, "\"c\":" + (contact + 1));
        String otherWorkspace = claims.replace("\"w\":" + workspace.id(), "\"w\":" + (workspace.id() + 1));
        for (String forged : List.of(otherContact, otherWorkspace)) {
            assertThat(forged).isNotEqualTo(claims);
            String tampered =
                    Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                            + signature;
            assertThatThrownBy(() -> tokens.verify(tampered, LinkKind.UNSUBSCRIBE))
                    .isInstanceOf(InvalidLink.class);
        }
        for (String broken : List.of("", ".", "abc", token + "x", "x" + token, token + ".x", "a".repeat(2_000))) {
            assertThatThrownBy(() -> tokens.verify(broken, LinkKind.UNSUBSCRIBE))
                    .isInstanceOf(InvalidLink.class);
        }
        assertThatThrownBy(() -> tokens.verify(token, LinkKind.PREFERENCES)).isInstanceOf(InvalidLink.class);

        LinkTokens aYearLater = new LinkTokens(
                keys,
                Clock.offset(Clock.systemUTC(), Duration.ofDays(366)),
                Duration.ofDays(90),
                Duration.ofDays(365),
                Duration.ofDays(7));
        assertThatThrownBy(() -> aYearLater.verify(token, LinkKind.UNSUBSCRIBE)).isInstanceOf(InvalidLink.class);
        assertThat(tokens.verify(token, LinkKind.UNSUBSCRIBE).contactId()).isEqualTo(contact);
    }

    @Test
    void rotatingKeepsOldLinksWorkingUntilTheirKeyIsRetired() {
        String before = token(mint(Map.of("contactId", contact, "kind", "preferences"))
                .get("url")
                .asString());
        String firstKey = tokens.verify(before, LinkKind.PREFERENCES).keyId();

        ApiClient.Response rotated = workspace.api().post("/v1/links/keys", workspace.adminKey(), "");
        assertThat(rotated.status()).as(rotated.text()).isEqualTo(201);
        String secondKey = rotated.json().get("id").asString();
        String after = token(mint(Map.of("contactId", contact, "kind", "preferences"))
                .get("url")
                .asString());
        assertThat(tokens.verify(after, LinkKind.PREFERENCES).keyId()).isEqualTo(secondKey);
        assertThat(tokens.verify(before, LinkKind.PREFERENCES).keyId()).isEqualTo(firstKey);

        JsonNode listed =
                workspace.api().get("/v1/links/keys", workspace.adminKey()).json();
        assertThat(listed.get("keys")).hasSize(2);
        assertThat(listed.toString()).doesNotContain("secret");
        assertThat(workspace
                        .api()
                        .delete("/v1/links/keys/" + secondKey, workspace.adminKey())
                        .status())
                .isEqualTo(409);
        ApiClient.Response retired = workspace.api().delete("/v1/links/keys/" + firstKey, workspace.adminKey());
        assertThat(retired.status()).as(retired.text()).isEqualTo(200);
        assertThat(retired.json().get("retiredAt").isNull()).isFalse();

        assertThatThrownBy(() -> tokens.verify(before, LinkKind.PREFERENCES)).isInstanceOf(InvalidLink.class);
        assertThat(tokens.verify(after, LinkKind.PREFERENCES).contactId()).isEqualTo(contact);
        assertThat(workspace
                        .api()
                        .delete("/v1/links/keys/lk_nope", workspace.adminKey())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aBatchAnswersEachItemInOrder() {
        ApiClient.Response response = workspace
                .api()
                .post(
                        "/v1/links/batch",
                        workspace.adminKey(),
                        ApiClient.json(Map.of(
                                "items",
                                List.of(
                                        Map.of("email", "ada@example.com", "kind", "unsubscribe"),
                                        Map.of("email", "nobody@example.com", "kind", "unsubscribe"),
                                        Map.of("email", "ada@example.com", "contactId", contact, "kind", "confirm"),
                                        Map.of("contactId", contact, "kind", "preferences", "topic", "nope"),
                                        Map.of("contactId", contact + 7, "kind", "preferences")))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode links = response.json().get("links");
        assertThat(links.get(0).get("link").get("url").asString()).contains("/u/");
        assertThat(links.get(1).get("error").asString()).isEqualTo("not_found");
        assertThat(links.get(2).get("error").asString()).isEqualTo("invalid");
        assertThat(links.get(3).get("error").asString()).isEqualTo("invalid");
        assertThat(links.get(4).get("error").asString()).isEqualTo("not_found");
    }

    @Test
    void badRequestsAreRefusedAndNeedTheWriteScope() {
        assertThat(workspace
                        .api()
                        .post("/v1/links", workspace.adminKey(), ApiClient.json(Map.of("kind", "preferences")))
                        .status())
                .isEqualTo(400);
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/links",
                                workspace.adminKey(),
                                ApiClient.json(Map.of("contactId", contact, "kind", "everything")))
                        .status())
                .isEqualTo(400);
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/links",
                                workspace.adminKey(),
                                ApiClient.json(Map.of("contactId", contact, "kind", "preferences", "locale", "x")))
                        .status())
                .isEqualTo(400);
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/links",
                                workspace.adminKey(),
                                ApiClient.json(Map.of("email", "nobody@example.com", "kind", "preferences")))
                        .status())
                .isEqualTo(404);
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/links",
                                workspace.key("subscriptions:read"),
                                ApiClient.json(Map.of("contactId", contact, "kind", "preferences")))
                        .status())
                .isEqualTo(403);
        TestWorkspace other = TestWorkspace.create(workspace.api());
        assertThat(other.api()
                        .post(
                                "/v1/links",
                                other.adminKey(),
                                ApiClient.json(Map.of("contactId", contact, "kind", "preferences")))
                        .status())
                .isEqualTo(404);
    }

    private JsonNode mint(Map<String, Object> request) {
        ApiClient.Response response = workspace.api().post("/v1/links", workspace.adminKey(), ApiClient.json(request));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
