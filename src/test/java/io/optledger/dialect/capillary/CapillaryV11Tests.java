package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CapillaryV11Tests extends WorkspaceApiTest {

    private static final String PATH = "/capillary/v1.1/customer/subscriptions?format=json";
    private static final String SEED = "dialect/capillary/v1.1-update-seed.request.json";
    private static final String SEED_EMAIL = "[email protected]";

    private CapillaryClient capillary;
    private long ada;

    @BeforeEach
    void registerCustomer() {
        capillary = CapillaryClient.md5(workspace);
        ada = capillary.register("919876543210", "ada@example.com");
    }

    @Test
    void seedRequestAsPublishedFailsEveryItemForItsPlaceholderEmail() {
        ApiClient.Response response = capillary.post(PATH, Golden.text(SEED));

        assertThat(response.status()).isEqualTo(500);
        Golden.assertBody(response, "dialect/capillary/v1.1-update-seed.response.json", Map.of());
        assertThat(workspace.events(ada)).isEmpty();
    }

    @Test
    void seedRequestForARegisteredCustomerUpdatesBothChannels() {
        ApiClient.Response response = capillary.post(PATH, Golden.text(SEED).replace(SEED_EMAIL, "Ada@Example.com"));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertBody(
                response, "dialect/capillary/v1.1-update.response.json", Map.of("userId", Long.toString(ada)));
        JsonNode events = workspace.events(ada);
        assertThat(events.findValuesAsString("topic")).containsExactly("capillary.bulk", "capillary.bulk");
        assertThat(events.findValuesAsString("channel")).containsExactly("EMAIL", "SMS");
        assertThat(events.findValuesAsString("to")).containsExactly("SUBSCRIBED", "UNSUBSCRIBED");
        assertThat(events.findValuesAsString("source")).containsOnly("capillary");
        assertThat(events.get(0).get("details").get("api").asString()).isEqualTo("v1.1");
        assertThat(events.get(0).get("details").get("orgUnitId").asString()).isEqualTo("-1");
        assertThat(workspace.verify(ada).get("valid").asBoolean()).isTrue();
        assertThat(workspace
                        .eligibility("contactId=" + ada + "&channel=EMAIL&topic=capillary.bulk")
                        .get("eligible")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void everyItemFailsAloneWithItsOwnCodeAndTheRestApplyWith201() {
        ApiClient.Response response = capillary.post(
                PATH,
                items(
                        item("mobile", "919876543210", "sms", "TRANS", "0"),
                        item("mobile", "919876543210", "fax", "BULK", "1"),
                        item("mobile", "919876543210", "sms", "urgent", "1"),
                        with(item("mobile", "919876543210", "sms", "BULK", "1"), "scope", "store"),
                        item("mobile", "not a phone", "sms", "BULK", "1"),
                        Map.of("channel", "sms", "priority", "BULK", "is_subscribed", "1"),
                        item("mobile", "919876543210", "sms", "BULK", "yes"),
                        item("email", "nobody@example.com", "email", "BULK", "1"),
                        item("id", "999999999999", "email", "BULK", "1")));

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode status = response.json().get("response").get("status");
        assertThat(status.get("success").asBoolean()).isFalse();
        assertThat(status.get("code").asInt()).isEqualTo(201);
        assertThat(status.get("message").asString()).isEqualTo("Some requests have failed due to errors");
        assertThat(status.get("total").asInt()).isEqualTo(9);
        assertThat(status.get("success_count").asInt()).isEqualTo(1);
        assertThat(codes(response)).containsExactly(1000, 1101, 1102, 1103, 1104, 1104, 1106, 1012, 1012);
        assertThat(response.json().findValues("success").stream().skip(1).map(JsonNode::asBoolean))
                .containsExactly(true, false, false, false, false, false, false, false, false);
        // only the valid item reached the ledger
        assertThat(workspace.events(ada).findValuesAsString("topic")).containsExactly("capillary.trans");
    }

    @Test
    void acceptsNumbersCaseAndASingleSubscriptionObject() {
        ApiClient.Response response = capillary.post(PATH, """
                {"root": {"subscription": {"external_id": null, "mobile": "+91 98765 43210", "priority": "Bulk",
                  "scope": "ALL", "channel": "SMS", "is_subscribed": 1}}}
                """);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode item = response.json()
                .get("response")
                .get("subscriptions")
                .get("subscription")
                .get(0);
        assertThat(item.get("user_id").asString()).isEqualTo(Long.toString(ada));
        assertThat(item.get("channel").asString()).isEqualTo("SMS");
        assertThat(item.get("is_subscribed").asInt()).isEqualTo(1);
    }

    @Test
    void identifiersThatNameTwoCustomersAreRefused() {
        long grace = capillary.register("919876543211", "grace@example.com");
        ApiClient.Response response = capillary.post(
                PATH, items(with(item("mobile", "919876543210", "email", "BULK", "1"), "email", "grace@example.com")));

        assertThat(response.status()).isEqualTo(500);
        assertThat(codes(response)).containsExactly(1104);
        assertThat(workspace.events(ada)).isEmpty();
        assertThat(workspace.events(grace)).isEmpty();
    }

    @Test
    void anotherWorkspacesCustomerIsNotFound() {
        var other = io.optledger.support.TestWorkspace.create(api);
        long stranger = CapillaryClient.md5(other).register("919876543299", "stranger@example.com");

        ApiClient.Response response =
                capillary.post(PATH, items(item("id", Long.toString(stranger), "email", "BULK", "1")));

        assertThat(response.status()).isEqualTo(500);
        assertThat(codes(response)).containsExactly(1012);
        assertThat(other.events(stranger)).isEmpty();
    }

    @Test
    void moreThanTheBatchLimitIsRefusedWholeWithNothingWritten() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= CapillaryFormat.MAX_ITEMS; i++) {
            many.add(item("id", Long.toString(ada), "email", "BULK", "1"));
        }
        ApiClient.Response response = capillary.post(PATH, items(many.toArray(Map[]::new)));

        assertThat(response.status()).isEqualTo(400);
        JsonNode status = response.json().get("response").get("status");
        assertThat(status.get("code").asInt()).isEqualTo(1060);
        assertThat(status.get("success").asBoolean()).isFalse();
        assertThat(workspace.events(ada)).isEmpty();
    }

    @Test
    void malformedBodiesAndFormatsAreA400InV11Shape() {
        for (String body : List.of(
                "{\"root\": {\"subscription\": [",
                "{\"root\": {}}",
                "[]",
                "{\"root\": {\"subscription\": [{\"x\": 1}]}}")) {
            ApiClient.Response response = capillary.post(PATH, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            JsonNode status = response.json().get("response").get("status");
            assertThat(status.get("success").asBoolean()).isFalse();
            assertThat(status.get("code").asInt()).isEqualTo(400);
            assertThat(response.text()).doesNotContain("Exception").doesNotContain("tools.jackson");
        }
        ApiClient.Response csv = capillary.post(
                "/capillary/v1.1/customer/subscriptions?format=csv", items(item("id", "1", "email", "BULK", "1")));
        assertThat(csv.status()).isEqualTo(400);
        assertThat(csv.json().get("response").get("status").get("message").asString())
                .contains("format=json or xml");
    }

    @Test
    void aWrongMethodOrAnUnknownPathAnswersInCapillarysShapeToo() {
        ApiClient.Response wrongMethod =
                api.send("DELETE", PATH, Map.of("Authorization", capillary.authorization()), null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("POST");
        assertThat(wrongMethod.json().get("response").get("status").get("code").asInt())
                .isEqualTo(405);

        ApiClient.Response unknown = capillary.get("/capillary/v2/nothing/here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("errors").get(0).get("code").asInt()).isEqualTo(404);
    }

    @Test
    void getListsTheCustomersOrgLevelSubscriptionsWithDefaults() {
        capillary.post(
                PATH,
                items(
                        item("email", "ada@example.com", "email", "BULK", "1"),
                        item("email", "ada@example.com", "sms", "TRANS", "0")));

        ApiClient.Response response =
                capillary.get("/capillary/v1.1/customer/subscriptions?format=json&mobile=919876543210");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode items = response.json().get("response").get("subscriptions").get("subscription");
        Map<String, Integer> state = new java.util.TreeMap<>();
        items.forEach(item -> state.put(
                item.get("channel").asString() + "/" + item.get("priority").asString(),
                item.get("is_subscribed").asInt()));
        // BULK is opted out until asked, TRANS opted in, as in Capillary
        assertThat(state)
                .containsExactly(
                        Map.entry("EMAIL/BULK", 1),
                        Map.entry("EMAIL/TRANS", 1),
                        Map.entry("SMS/BULK", 0),
                        Map.entry("SMS/TRANS", 0));
        assertThat(items.get(0).get("user_id").asString()).isEqualTo(Long.toString(ada));

        ApiClient.Response unknown = capillary.get("/capillary/v1.1/customer/subscriptions?email=nobody@example.com");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("response").get("status").get("code").asInt())
                .isEqualTo(1012);
        ApiClient.Response ambiguous = capillary.get("/capillary/v1.1/customer/subscriptions?email=a@b.c&mobile=1");
        assertThat(ambiguous.json().get("response").get("status").get("code").asInt())
                .isEqualTo(1104);
    }

    private static List<Integer> codes(ApiClient.Response response) {
        List<Integer> codes = new ArrayList<>();
        response.json()
                .get("response")
                .get("subscriptions")
                .get("subscription")
                .forEach(item -> codes.add(item.get("item_status").get("code").asInt()));
        return codes;
    }

    @SafeVarargs
    private static String items(Map<String, Object>... items) {
        return ApiClient.json(Map.of("root", Map.of("subscription", List.of(items))));
    }

    private static Map<String, Object> item(
            String identifier, String value, String channel, String priority, String subscribed) {
        return Map.of(
                identifier,
                value,
                "channel",
                channel,
                "priority",
                priority,
                "scope",
                "all",
                "is_subscribed",
                subscribed);
    }

    private static Map<String, Object> with(Map<String, Object> item, String key, String value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(item);
        copy.put(key, value);
        return copy;
    }
}
