package io.optledger.dialect.attentive;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class AttentiveTests extends WorkspaceApiTest {

    private static final String PHONE = "+13115552368";

    @Autowired
    JdbcClient jdbc;

    private AttentiveClient attentive;

    @BeforeEach
    void setUp() {
        attentive = new AttentiveClient(workspace);
    }

    @Test
    void theSeedsRequestsAnswerTheSeedsResponses() {
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        ApiClient.Response subscribed = attentive.post(
                "subscriptions",
                Golden.text("dialect/attentive/subscribe-seed.request.json")
                        .replace("\"signUpSourceId\": \"string\"", "\"signUpSourceId\": \"" + unit + "\""));
        assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(202);
        Golden.assertBody(subscribed, "dialect/attentive/subscribe-seed.response.json", Map.of());

        ApiClient.Response eligibility = attentive.get("subscriptions?phone=%2B13115552368&email=test%40gmail.com");
        assertThat(eligibility.status()).as(eligibility.text()).isEqualTo(200);
        Golden.assertBody(eligibility, "dialect/attentive/eligibility-seed.response.json", Map.of());

        ApiClient.Response unsubscribed = attentive.post(
                "subscriptions/unsubscribe", Golden.text("dialect/attentive/unsubscribe-seed.request.json"));
        assertThat(unsubscribed.status()).as(unsubscribed.text()).isEqualTo(202);
        Golden.assertBody(unsubscribed, "dialect/attentive/unsubscribe-seed.response.json", Map.of());

        // single opt-in: no "Reply Y"; notification disabled: no confirmation either
        assertThat(texts(PHONE)).isEmpty();
        long contact = contactOf(PHONE);
        JsonNode events = workspace.events(contact);
        assertThat(events.findValuesAsString("action")).containsExactly("OPT_IN", "OPT_OUT");
        assertThat(events.get(0).get("signUpUnit").asString()).isEqualTo(unit);
        assertThat(events.get(0).get("details").get("disclosureVersion").asString())
                .isEqualTo("1");
        assertThat(events.get(0).get("details").get("disclosureHash").asString())
                .hasSize(64);
        // the external identifiers were attached to the contact
        JsonNode found = api.get("/v1/contacts?identifierName=shopifyId&identifierValue=string", workspace.adminKey())
                .json();
        assertThat(found.toString()).contains(Long.toString(contact));
    }

    @Test
    void phonesMustBeE164() {
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        for (String valid : List.of("+19148440001", "+442071838750", "+551155256325")) {
            assertThat(subscribe(unit, valid, true).status()).as(valid).isEqualTo(202);
        }
        for (String invalid : List.of("19148440001", "+1---914---844---0001", "1 () 914 844 0001")) {
            ApiClient.Response response = subscribe(unit, invalid, true);
            assertError(response, 400);
            assertThat(response.json().get("error").get("message").asString()).contains("E.164");
        }
    }

    @Test
    void localeAndTypeMustResolveToExactlyOneUnit() {
        String body = """
                {"user": {"phone": "+19148440001"}, "locale": {"language": "fr", "country": "CA"},
                 "subscriptionType": "MARKETING", "singleOptIn": true}""";
        assertError(attentive.post("subscriptions", body), 400);

        attentive.unit("TEXT", "MARKETING", "fr", "CA", true);
        assertThat(attentive.post("subscriptions", body).status()).isEqualTo(202);

        attentive.unit("TEXT", "MARKETING", "fr", "CA", true);
        ApiClient.Response two = attentive.post("subscriptions", body);
        assertError(two, 400);
        assertThat(two.json().get("error").get("message").asString()).contains("2 sign-up units match");

        assertError(attentive.post("subscriptions", "{\"user\": {\"phone\": \"+19148440001\"}}"), 400);
        assertError(
                attentive.post(
                        "subscriptions", "{\"user\": {\"phone\": \"+19148440001\"}, \"signUpSourceId\": \"su_nope\"}"),
                404);
    }

    @Test
    void aTextOptInWaitsForYAndARepeatSaysAlreadySubscribed() {
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", false);
        assertError(subscribe(unit, "+19148440001", true), 403);

        ApiClient.Response first = subscribe(unit, "+19148440001", false);
        assertThat(first.json().findValue("subscriptionCreationStatus").asString())
                .isEqualTo("NEWLY_CREATED");
        long contact = contactOf("+19148440001");
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isFalse();
        assertThat(texts("+19148440001")).containsExactly("CONFIRMATION_REQUEST");

        ApiClient.Response inbound = api.post(
                "/v1/inbound/sms",
                workspace.adminKey(),
                "{\"from\": \"+19148440001\", \"to\": \"+15550001111\", \"body\": \" y \"}");
        assertThat(inbound.status()).as(inbound.text()).isEqualTo(200);
        assertThat(inbound.json().get("action").asString()).isEqualTo("confirmed");
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();

        ApiClient.Response repeat = subscribe(unit, "+19148440001", false);
        assertThat(repeat.json().findValue("subscriptionCreationStatus").asString())
                .isEqualTo("PREVIOUSLY_CREATED");
        assertThat(texts("+19148440001")).containsExactly("CONFIRMATION_REQUEST", "CONFIRMED", "ALREADY_SUBSCRIBED");
        assertThat(workspace.events(contact).findValuesAsString("action"))
                .containsExactly("AWAIT_CONFIRMATION", "CONFIRM", "OPT_IN");
        assertThat(workspace.events(contact).get(1).get("source").asString()).isEqualTo("sms-keyword");
    }

    @Test
    void stopOptsTheNumberOutOfAllSmsMarketingWithOneConfirmation() {
        String marketing = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        String checkout = attentive.unit("TEXT", "CHECKOUT_ABANDONED", "en", "US", true);
        subscribe(marketing, "+19148440001", true);
        subscribe(checkout, "+19148440001", true);

        ApiClient.Response stop = api.post(
                "/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+19148440001\", \"body\": \"  Opt   Out \"}");
        assertThat(stop.json().get("keyword").asString()).isEqualTo("OPT OUT");
        assertThat(stop.json().get("changed").asInt()).isEqualTo(2);
        long contact = contactOf("+19148440001");
        for (String topic : List.of("marketing", "checkout-abandoned")) {
            assertThat(workspace
                            .eligibility("channel=SMS&topic=" + topic + "&contactId=" + contact)
                            .get("eligible")
                            .asBoolean())
                    .isFalse();
        }
        assertThat(texts("+19148440001")).containsExactly("UNSUBSCRIBED");

        ApiClient.Response help =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+19148440001\", \"body\": \"help\"}");
        assertThat(help.json().get("action").asString()).isEqualTo("help");
        ApiClient.Response start =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+19148440001\", \"body\": \"START\"}");
        assertThat(start.json().get("changed").asInt()).isEqualTo(2);
        assertThat(texts("+19148440001")).containsExactly("UNSUBSCRIBED", "HELP", "CONFIRMED");
        JsonNode listed = api.get(
                        "/v1/messaging/messages?channel=SMS&recipient=%2B1%20914%20844%200001", workspace.adminKey())
                .json()
                .get("messages");
        assertThat(listed.findValuesAsString("template")).containsExactly("UNSUBSCRIBED", "HELP", "CONFIRMED");
        assertThat(listed.get(0).get("body").asString()).contains("unsubscribed");
        assertThat(workspace.events(contact).findValuesAsString("source"))
                .containsExactly("attentive", "attentive", "sms-keyword", "sms-keyword", "sms-keyword", "sms-keyword");
    }

    @Test
    void theGatewaysKeyMayPostInboundTextsAndNothingElseAndStopallSuppressesTheNumber() {
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        subscribe(unit, "+19148440001", true);
        String gateway = workspace.key("sms:inbound");
        assertThat(api.get("/v1/topics", gateway).status()).isEqualTo(403);
        assertThat(api.post("/v1/inbound/sms", null, "{\"from\": \"+19148440001\", \"body\": \"STOP\"}")
                        .status())
                .isEqualTo(401);

        ApiClient.Response stopAll = api.send(
                "POST",
                "/v1/inbound/sms",
                Map.of("Authorization", "Bearer " + gateway, "Content-Type", "application/x-www-form-urlencoded"),
                "From=%2B19148440001&To=%2B15550001111&Body=stopall");
        assertThat(stopAll.status()).as(stopAll.text()).isEqualTo(200);
        assertThat(stopAll.json().get("changed").asInt()).isEqualTo(1);
        JsonNode eligibility = workspace.eligibility("channel=SMS&topic=transactional&phone=%2B19148440001");
        assertThat(eligibility.get("eligible").asBoolean()).isFalse();
        assertThat(eligibility.get("reasons").findValuesAsString("code")).contains("suppressed");

        api.post("/v1/inbound/sms", gateway, "{\"from\": \"+19148440001\", \"body\": \"unstop\"}");
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&phone=%2B19148440001")
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        ApiClient.Response nonsense =
                api.post("/v1/inbound/sms", gateway, "{\"from\": \"+19148440001\", \"body\": \"what?\"}");
        assertThat(nonsense.json().get("action").asString()).isEqualTo("none");
        assertThat(api.post("/v1/inbound/sms", gateway, "{\"from\": \"nope\", \"body\": \"STOP\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void unsubscribeWithoutSubscriptionsReachesAllAndAnEmailReachesOnlyEmail() {
        String text = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        String email = attentive.unit("EMAIL", "MARKETING", "en", "US", false);
        String transactional = attentive.unit("TEXT", "TRANSACTIONAL", "en", "US", true);
        subscribe(text, "+19148440001", true);
        subscribe(transactional, "+19148440001", true);
        assertThat(attentive
                        .post(
                                "subscriptions",
                                "{\"user\": {\"phone\": \"+19148440001\", \"email\": \"ada@example.com\"}, \"signUpSourceId\": \""
                                        + email + "\"}")
                        .status())
                .isEqualTo(202);

        ApiClient.Response byEmail =
                attentive.post("subscriptions/unsubscribe", "{\"user\": {\"email\": \"ada@example.com\"}}");
        assertThat(byEmail.status()).as(byEmail.text()).isEqualTo(202);
        assertThat(byEmail.json().findValuesAsString("channel")).containsExactly("EMAIL");
        long contact = contactOf("+19148440001");
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();

        ApiClient.Response all = attentive.post(
                "subscriptions/unsubscribe",
                "{\"user\": {\"phone\": \"+19148440001\"}, \"notification\": {\"language\": \"fr-CA\"}}");
        assertThat(all.json().findValuesAsString("subscriptionUnsubscribeStatus"))
                .containsExactly("NEWLY_UNSUBSCRIBED", "NEWLY_UNSUBSCRIBED");
        assertThat(all.json().findValuesAsString("type")).containsExactlyInAnyOrder("MARKETING", "TRANSACTIONAL");
        ApiClient.Response again =
                attentive.post("subscriptions/unsubscribe", "{\"user\": {\"phone\": \"+19148440001\"}}");
        assertThat(again.json().findValuesAsString("subscriptionUnsubscribeStatus"))
                .containsOnly("PREVIOUSLY_UNSUBSCRIBED");
        List<Map<String, Object>> sent = jdbc.sql(
                        "select template, locale, body from messages where workspace_id = :w and recipient = :r"
                                + " order by created_at, id")
                .param("w", workspace.id())
                .param("r", "+19148440001")
                .query()
                .listOfRows();
        assertThat(sent).extracting(row -> row.get("template")).containsExactly("UNSUBSCRIBED", "UNSUBSCRIBED");
        assertThat(sent.get(0)).containsEntry("locale", "fr-CA");
        assertThat(sent.get(0).get("body").toString()).contains("désabonné");
        assertError(attentive.post("subscriptions/unsubscribe", "{\"user\": {\"phone\": \"+19148449999\"}}"), 404);
    }

    @Test
    void aResignupAfterASuspensionEndedIsNotDemotedToPendingNorAskedToConfirmAgain() {
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", false);
        subscribe(unit, "+19148440001", false);
        api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+19148440001\", \"body\": \"Y\"}");
        long contact = contactOf("+19148440001");
        ApiClient.Response paused = workspace.change(Map.of(
                "contactId",
                contact,
                "channel",
                "SMS",
                "topic",
                "marketing",
                "action",
                "SUSPEND",
                "suspendedUntil",
                java.time.Instant.now().minusSeconds(60).toString()));
        assertThat(paused.json().at("/results/0/outcome").asString()).isEqualTo("changed");

        ApiClient.Response again = subscribe(unit, "+19148440001", false);

        assertThat(again.json().findValue("subscriptionCreationStatus").asString())
                .isEqualTo("PREVIOUSLY_CREATED");
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        assertThat(workspace.events(contact).findValuesAsString("action"))
                .containsExactly("AWAIT_CONFIRMATION", "CONFIRM", "SUSPEND", "OPT_IN");
        assertThat(texts("+19148440001")).containsExactly("CONFIRMATION_REQUEST", "CONFIRMED", "ALREADY_SUBSCRIBED");
    }

    @Test
    void unsubscribeWithoutSubscriptionsReachesMarketingTopicsThatDefaultToOptedIn() {
        assertThat(api.patch("/v1/topics/marketing", workspace.adminKey(), "{\"defaultOptIn\":true}")
                        .status())
                .isEqualTo(200);
        long contact = workspace.contact("grace@example.com", "+19148440002");
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();

        ApiClient.Response all = attentive.post(
                "subscriptions/unsubscribe",
                "{\"user\": {\"phone\": \"+19148440002\", \"email\": \"grace@example.com\"}}");

        assertThat(all.status()).as(all.text()).isEqualTo(202);
        assertThat(all.json().findValuesAsString("channel")).containsExactlyInAnyOrder("TEXT", "EMAIL");
        for (String channel : List.of("SMS", "EMAIL")) {
            assertThat(workspace
                            .eligibility("channel=" + channel + "&topic=marketing&contactId=" + contact)
                            .get("eligible")
                            .asBoolean())
                    .as(channel)
                    .isFalse();
        }
        assertThat(workspace.events(contact).findValuesAsString("action")).containsExactly("OPT_OUT", "OPT_OUT");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void rateLimitsAnswer429WithTheirHeaders() {
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        ApiClient.Response first = subscribe(unit, "+19148440001", true);
        assertThat(first.header("x-ratelimit-limit")).isEqualTo("10");
        assertThat(first.header("x-ratelimit-remaining")).isNotNull();
        long start = System.nanoTime();
        int accepted = 1;
        ApiClient.Response limited = null;
        for (int i = 0; i < 40 && limited == null; i++) {
            ApiClient.Response response = subscribe(unit, "+19148440001", true);
            if (response.status() == 429) {
                limited = response;
            } else {
                accepted++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(limited)
                .as("no 429 after %d requests in %.2f s", accepted, seconds)
                .isNotNull();
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(limited.json().get("error").get("message").asString()).contains("10 requests a second");
        assertThat(accepted).isLessThanOrEqualTo(10 + (int) Math.ceil(seconds * 10) + 1);
        // another endpoint has its own bucket
        assertThat(attentive.get("subscriptions?phone=%2B19148440001").status()).isEqualTo(200);
    }

    @Test
    void errorsAreAttentivesShape() {
        assertError(
                api.send("POST", "/attentive/v1/subscriptions", Map.of("Content-Type", "application/json"), "{}"), 401);
        assertError(attentive.post("subscriptions", "{\"user\": "), 400);
        assertError(attentive.post("subscriptions", "{\"user\": {}}"), 400);
        assertError(attentive.get("subscriptions"), 400);
        assertError(api.delete("/attentive/v1/subscriptions", workspace.adminKey()), 405);
        assertError(attentive.get("subscriptions?email=nobody%40example.com"), 404);
        String reader = workspace.key("subscriptions:read");
        assertError(api.get("/attentive/v1/subscriptions?email=a%40b.co", reader), 403);
    }

    private ApiClient.Response subscribe(String unit, String phone, boolean singleOptIn) {
        return attentive.post(
                "subscriptions",
                ApiClient.json(
                        Map.of("user", Map.of("phone", phone), "signUpSourceId", unit, "singleOptIn", singleOptIn)));
    }

    private List<String> texts(String phone) {
        return jdbc.sql("select template from messages where workspace_id = :w and recipient = :r"
                        + " order by created_at, id")
                .param("w", workspace.id())
                .param("r", phone)
                .query(String.class)
                .list();
    }

    private long contactOf(String phone) {
        return api.get("/v1/contacts?phone=" + phone.replace("+", "%2B"), workspace.adminKey())
                .json()
                .get("contacts")
                .get(0)
                .get("id")
                .asLong();
    }

    private static void assertError(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("error").get("id").isString()).isTrue();
        assertThat(response.json().get("error").get("message").asString()).isNotBlank();
        assertThat(response.text()).doesNotContain("Exception");
    }
}
