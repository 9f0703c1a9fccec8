package io.optledger.dialect.attentive;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What Attentive clients send beyond the seed: the payload generator's subscribe with {@code externalIdentifiers}
 * (clientUserId, customIdentifiers) matched as the subscriber's identifiers, an unknown or retired sign-up unit, an
 * eligibility read by phone and email together, a body without Content-Type, a trailing slash; and every error in
 * Attentive's shape and content type.
 */
class AttentiveFidelityTests extends WorkspaceApiTest {

    private AttentiveClient attentive;
    private String textUnit;
    private String emailUnit;

    @BeforeEach
    void setUp() {
        attentive = new AttentiveClient(workspace);
        textUnit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        emailUnit = attentive.unit("EMAIL", "MARKETING", "en", "US", true);
    }

    @Test
    void theClientsSubscribeGoesInUnchangedAndItsExternalIdentifiersNameTheSubscriber() {
        ApiClient.Response response = attentive.post(
                "subscriptions",
                Golden.text("dialect/attentive/subscribe-client.request.json").replace("{{unit}}", textUnit));

        assertThat(response.status()).as(response.text()).isEqualTo(202);
        Golden.assertBody(response, "dialect/attentive/subscribe-client.response.json", Map.of());
        long byClientUserId = contactBy("clientUserId", "abc123");
        assertThat(contactBy("myCustomId", "myCustom123")).isEqualTo(byClientUserId);
    }

    @Test
    void aLaterSignUpNamedByAnExternalIdentifierReachesTheSameSubscriber() {
        ApiClient.Response byEmail = attentive.post("subscriptions", """
                {"user": {"email": "ada@example.com"}, "signUpSourceId": "%s",
                 "externalIdentifiers": {"clientUserId": "u-42",
                                         "customIdentifiers": [{"name": "loyaltyId", "value": "L-1"}]}}""".formatted(emailUnit));
        assertThat(byEmail.status()).as(byEmail.text()).isEqualTo(202);

        // by phone, named only by the custom identifier: the same person gains the phone
        ApiClient.Response byPhone = attentive.post("subscriptions", """
                {"user": {"phone": "+12063996576"}, "signUpSourceId": "%s", "singleOptIn": true,
                 "externalIdentifiers": {"customIdentifiers": [{"name": "loyaltyId", "value": "L-1"}]}}""".formatted(textUnit));
        assertThat(byPhone.status()).as(byPhone.text()).isEqualTo(202);
        long person = contactBy("clientUserId", "u-42");
        assertThat(contactBy("phone", "+12063996576")).isEqualTo(person);
        assertThat(contactBy("email", "ada@example.com")).isEqualTo(person);

        // a different email for the same clientUserId is never a silent replacement
        ApiClient.Response other = attentive.post("subscriptions", """
                {"user": {"email": "someone.else@example.com"}, "signUpSourceId": "%s",
                 "externalIdentifiers": {"clientUserId": "u-42"}}""".formatted(emailUnit));
        assertError(other, 400);
    }

    @Test
    void aCustomIdentifierNamedAfterABuiltInOneIsRefusedWithNothingWritten() {
        ApiClient.Response response = attentive.post("subscriptions", """
                {"user": {"phone": "+12063996576"}, "signUpSourceId": "%s",
                 "externalIdentifiers": {"customIdentifiers": [{"name": "email", "value": "x"}]}}""".formatted(textUnit));

        assertError(response, 400);
        assertThat(response.json().get("error").get("message").asString()).contains("built-in identifier");
        assertThat(api.get("/v1/contacts?phone=%2B12063996576", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
    }

    @Test
    void anUnknownOrRetiredSignUpUnitIsA404NamingIt() {
        ApiClient.Response unknown = attentive.post(
                "subscriptions", "{\"user\": {\"phone\": \"+12063996576\"}, \"signUpSourceId\": \"357276\"}");
        assertError(unknown, 404);
        assertThat(unknown.json().get("error").get("message").asString())
                .contains("'357276'")
                .contains("retired");

        assertThat(api.delete("/v1/sign-up-units/" + textUnit, workspace.adminKey())
                        .status())
                .isEqualTo(204);
        ApiClient.Response retired = attentive.post(
                "subscriptions", "{\"user\": {\"phone\": \"+12063996576\"}, \"signUpSourceId\": \"" + textUnit + "\"}");
        assertError(retired, 404);
        assertThat(api.get("/v1/contacts?phone=%2B12063996576", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
    }

    @Test
    void eligibilityAndUnsubscribeByPhoneAndEmailTogetherReachEachAddressesSubscriber() {
        assertThat(attentive.post("subscriptions", """
                        {"user": {"phone": "+12063996576"}, "signUpSourceId": "%s", "singleOptIn": true}""".formatted(textUnit)).status())
                .isEqualTo(202);
        assertThat(attentive.post("subscriptions", """
                        {"user": {"email": "other@example.com"}, "signUpSourceId": "%s"}""".formatted(emailUnit)).status())
                .isEqualTo(202);

        ApiClient.Response eligibility = attentive.get("subscriptions?phone=%2B12063996576&email=other%40example.com");
        assertThat(eligibility.status()).as(eligibility.text()).isEqualTo(200);
        Golden.assertBody(eligibility, "dialect/attentive/eligibility-two-people.response.json", Map.of());
        // a client's form sends the parameter it has no value for empty
        ApiClient.Response phoneOnly = attentive.get("subscriptions?phone=%2B12063996576&email=");
        assertThat(phoneOnly.status()).as(phoneOnly.text()).isEqualTo(200);
        assertThat(phoneOnly.json().findValuesAsString("channel")).containsExactly("TEXT");

        ApiClient.Response unsubscribed = attentive.post("subscriptions/unsubscribe", """
                {"user": {"phone": "+12063996576", "email": "other@example.com"}, "notification": {"disabled": true}}""");
        assertThat(unsubscribed.status()).as(unsubscribed.text()).isEqualTo(202);
        assertThat(unsubscribed.json().findValuesAsString("subscriptionUnsubscribeStatus"))
                .containsExactly("NEWLY_UNSUBSCRIBED", "NEWLY_UNSUBSCRIBED");
        JsonNode after = attentive
                .get("subscriptions?phone=%2B12063996576&email=other%40example.com")
                .json();
        assertThat(after.findValues("isEligible").stream().map(JsonNode::asBoolean))
                .containsOnly(false);
    }

    @Test
    void aBodyWithoutContentTypeAndAPathWithATrailingSlashAreServed() {
        ApiClient.Response bare = api.send(
                "POST",
                "/attentive/v1/subscriptions/",
                Map.of("Authorization", "Bearer " + workspace.adminKey()),
                "{\"user\": {\"phone\": \"+12063996576\"}, \"signUpSourceId\": \"" + textUnit + "\"}");
        assertThat(bare.status()).as(bare.text()).isEqualTo(202);
        assertThat(bare.header("x-ratelimit-limit")).isNotNull();
    }

    @Test
    void everyErrorIsAttentivesShapeInJson() {
        ApiClient.Response unauthorized =
                api.send("GET", "/attentive/v1/subscriptions?phone=%2B12063996576", Map.of(), null);
        assertError(unauthorized, 401);
        assertError(attentive.get("nothing/here"), 404);
        ApiClient.Response wrongMethod = api.send(
                "PUT", "/attentive/v1/subscriptions", Map.of("Authorization", "Bearer " + workspace.adminKey()), "{}");
        assertError(wrongMethod, 405);
        assertThat(wrongMethod.header("Allow")).contains("POST");
        assertError(attentive.post("subscriptions", "{\"user\": "), 400);
        assertError(attentive.post("subscriptions", "{\"user\": {\"phone\": \"+12063996576\"}, \"x\": 1}"), 400);
        assertError(
                attentive.post("subscriptions", "{\"user\": {\"email\": \"" + "a".repeat(300_000) + "@example.com\"}}"),
                413);
        assertError(
                api.send(
                        "POST",
                        "/attentive/v1/subscriptions",
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "text/plain"),
                        "{}"),
                415);
    }

    private long contactBy(String name, String value) {
        JsonNode contacts = api.get(
                        "/v1/contacts?identifierName=" + name + "&identifierValue=" + value.replace("@", "%40"),
                        workspace.adminKey())
                .json()
                .get("contacts");
        assertThat(contacts).as(name).hasSize(1);
        return contacts.get(0).get("id").asLong();
    }

    private static void assertError(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("error").get("id").isString()).isTrue();
        assertThat(response.json().get("error").get("message").asString()).isNotBlank();
        assertThat(response.text()).doesNotContain("Exception");
    }
}
