package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class CapillaryV2Tests extends WorkspaceApiTest {

    private static final String SEED_MD = "dialect/capillary/v2-update-seed-md.request.json";
    private static final String SEED_TXT = "dialect/capillary/v2-update-seed-txt.request.json";

    @Autowired
    JdbcClient jdbc;

    private CapillaryClient capillary;
    private long ada;

    @BeforeEach
    void registerCustomer() {
        capillary = CapillaryClient.md5(workspace);
        ada = capillary.register("919876543210", "ada@example.com");
    }

    @Test
    void seedRequestIsEchoedExactlyAsTheSeedResponse() {
        ApiClient.Response response = capillary.post(subscriptions(ada) + "?format=json", Golden.text(SEED_MD));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertBody(response, "dialect/capillary/v2-update-seed-md.response.json", Map.of());
        JsonNode events = workspace.events(ada);
        assertThat(events).hasSize(4);
        assertThat(events.findValuesAsString("topic"))
                .containsExactly(
                        "capillary.ou200031782.bulk",
                        "capillary.ou200031782.bulk",
                        "capillary.ou200031782.trans",
                        "capillary.ou200031782.trans");
        JsonNode first = events.get(0);
        assertThat(first.get("reason").asString()).isEqualTo("This is V2 subscription api");
        // -1 means "no campaign" and "no communication" in Capillary
        assertThat(first.get("campaignId").isNull()).isTrue();
        assertThat(first.get("details").get("orgUnitId").asString()).isEqualTo("200031782");
        assertThat(first.get("details").get("accountId").asString()).isEqualTo("01");
        assertThat(first.get("details").get("sourceName").asString()).isEqualTo("FACEBOOK");
        assertThat(first.get("details").get("api").asString()).isEqualTo("v2");
        assertThat(workspace.verify(ada).get("valid").asBoolean()).isTrue();
    }

    @Test
    void seedRequestWithItsMistypedPriorityAppliesTheRestAndWarnsOfIt() {
        ApiClient.Response response = capillary.post(subscriptions(ada) + "?format=json", Golden.text(SEED_TXT));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertBody(response, "dialect/capillary/v2-update-seed-txt.response.json", Map.of());
        assertThat(workspace.events(ada)).hasSize(3);
    }

    @Test
    void anUpdateShowsInTheCurrentStateAndTheChangeLog() {
        capillary.post(subscriptions(ada), Golden.text(SEED_MD));
        capillary.post(
                subscriptions(ada),
                update(Map.of(
                        "channel", "EMAIL",
                        "accountId", "01",
                        "priority", "BULK",
                        "type", "OPTIN",
                        "orgUnitId", 200031782,
                        "sourceName", "instore")));

        ApiClient.Response current = capillary.get(subscriptions(ada));
        assertThat(current.status()).as(current.text()).isEqualTo(200);
        assertThat(current.json().get("userId").asLong()).isEqualTo(ada);
        assertThat(summary(current.json().get("subscriptions")))
                .containsExactlyInAnyOrder(
                        "EMAIL 01 BULK OPTIN 200031782 INSTORE",
                        "MOBILE 01 BULK OPTIN 200031782 FACEBOOK",
                        "EMAIL 01 TRANS OPTIN 200031782 FACEBOOK",
                        "MOBILE 01 TRANS OPTOUT 200031782 FACEBOOK");

        for (String path : List.of(
                "/capillary/customers/" + ada + "/subscriptionStatusChangeLog",
                "/capillary/v2/customers/" + ada + "/subscriptionStatusChangeLog")) {
            ApiClient.Response log = capillary.get(path);
            assertThat(log.status()).as(log.text()).isEqualTo(200);
            JsonNode data = log.json().get("data");
            assertThat(data).hasSize(5);
            JsonNode last = data.get(4);
            assertThat(last.get("orgUnitId").asLong()).isEqualTo(200031782L);
            assertThat(last.get("source").asString()).isEqualTo("INSTORE");
            assertThat(last.get("accountId").asString()).isEqualTo("01");
            assertThat(last.get("commChannelType").asString()).isEqualTo("email");
            assertThat(last.get("commChannelId").asInt()).isEqualTo(2);
            assertThat(last.get("priority").asString()).isEqualTo("BULK");
            assertThat(last.get("status").asBoolean()).isTrue();
            assertThat(last.get("addedBy").asLong()).isEqualTo(-1L);
            assertThat(last.get("addedByKey").asString()).startsWith("key_");
            assertThat(last.get("addedOn").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(last.get("reason").asString()).isEqualTo("back in");
            assertThat(data.get(0).get("status").asBoolean()).isFalse();
            assertThat(data.get(1).get("commChannelType").asString()).isEqualTo("mobile");
            assertThat(log.json().get("warnings")).isEmpty();
            assertThat(log.json().get("errors")).isEmpty();
        }
    }

    @Test
    void updatesReachTheOutboxAsEveryChangeDoes() {
        capillary.post(subscriptions(ada), Golden.text(SEED_MD));

        Long queued = jdbc.sql("select count(*) from outbox where workspace_id = :workspace and contact_id = :contact")
                .param("workspace", workspace.id())
                .param("contact", ada)
                .query(Long.class)
                .single();
        assertThat(queued).isEqualTo(4L);
    }

    @Test
    void lookupFindsTheCustomerByMobileEmailOrExternalId() {
        String lookup = "/capillary/v2/customers/lookup/subscriptions?source=INSTORE&accountId=01"
                + "&identifierName=mobile&identifierValue=919876543210";
        ApiClient.Response response = capillary.post(
                lookup, update(Map.of("channel", "sms", "priority", "trans", "type", "optout", "orgUnitId", -1)));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        // SMS is MOBILE, the account comes from the query, and orgUnitId -1 is the org (the topic v1.1 uses)
        assertThat(summary(response.json().get("subscriptions"))).containsExactly("MOBILE 01 TRANS OPTOUT -1 null");
        assertThat(workspace.events(ada).findValuesAsString("topic")).containsExactly("capillary.trans");
        ApiClient.Response v11 = capillary.get("/capillary/v1.1/customer/subscriptions?id=" + ada);
        // SMS TRANS (opted out here), SMS BULK, EMAIL TRANS, EMAIL BULK (defaults: TRANS in, BULK out)
        assertThat(v11.json().findValues("is_subscribed").stream().map(JsonNode::asInt))
                .containsExactly(0, 0, 1, 0);

        ApiClient.Response byEmail = capillary.get("/capillary/v2/customers/lookup/subscriptions?source=INSTORE"
                + "&identifierName=email&identifierValue=ADA@example.com");
        assertThat(byEmail.status()).as(byEmail.text()).isEqualTo(200);
        assertThat(summary(byEmail.json().get("subscriptions"))).containsExactly("MOBILE 01 TRANS OPTOUT -1 null");

        ApiClient.Response unknown = capillary.post(
                "/capillary/v2/customers/lookup/subscriptions?source=INSTORE&identifierName=externalId"
                        + "&identifierValue=nobody",
                update(Map.of(
                        "channel", "EMAIL", "accountId", "01", "priority", "BULK", "type", "OPTIN", "orgUnitId", 1)));
        assertError(unknown, 400, 8015);
    }

    @Test
    void unknownOrForeignCustomerIdsAre1012() {
        var other = io.optledger.support.TestWorkspace.create(api);
        long stranger = CapillaryClient.md5(other).register("919876543299", "stranger@example.com");
        String body = update(
                Map.of("channel", "EMAIL", "accountId", "01", "priority", "BULK", "type", "OPTIN", "orgUnitId", 1));

        assertError(capillary.post(subscriptions(999_999_999_999L), body), 400, 1012);
        assertError(capillary.post(subscriptions(stranger), body), 400, 1012);
        assertError(capillary.get(subscriptions(stranger)), 400, 1012);
        assertError(capillary.get("/capillary/v2/customers/" + stranger + "/subscriptionStatusChangeLog"), 400, 1012);
        assertThat(other.events(stranger)).isEmpty();
    }

    @Test
    void whenEveryItemFailsTheAnswerIs500WithTheSeedErrorsAndAWarningPerItem() {
        long noEmail = registerMobileOnly("919876543222");
        ApiClient.Response response = capillary.post(
                subscriptions(noEmail),
                update(
                        Map.of(
                                "channel",
                                "fax",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1),
                        Map.of(
                                "channel",
                                "EMAIL",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                "MAYBE",
                                "orgUnitId",
                                1),
                        Map.of("channel", "EMAIL", "accountId", "01", "priority", "BULK", "type", "OPTIN"),
                        Map.of("channel", "EMAIL", "priority", "BULK", "type", "OPTIN", "orgUnitId", 1),
                        Map.of(
                                "channel",
                                "EMAIL",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1,
                                "sourceName",
                                "PIGEON"),
                        Map.of(
                                "channel",
                                "EMAIL",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1)));

        assertThat(response.status()).as(response.text()).isEqualTo(500);
        JsonNode body = response.json();
        assertThat(body.get("errors"))
                .isEqualTo(tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(Golden.text("dialect/capillary/v2-update-all-failed.response.json"))
                        .get("errors"));
        assertThat(body.get("warnings").findValues("code").stream().map(JsonNode::asInt))
                .containsExactly(1101, 1106, 91022, 91022, 91022, 91022);
        assertThat(body.get("warnings").get(5).get("message").asString())
                .isEqualTo("Failed to update subscription for EMAIL channel and priority BULK:"
                        + " the contact has no EMAIL address; give one (no_address)");
        assertThat(workspace.events(noEmail)).isEmpty();
    }

    @Test
    void eachOrgUnitHasItsOwnTopicsSoOneCustomerCanBeInAtOneAndOutAtAnother() {
        capillary.post(
                subscriptions(ada),
                update(
                        Map.of(
                                "channel",
                                "EMAIL",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                11),
                        Map.of(
                                "channel",
                                "EMAIL",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                "OPTOUT",
                                "orgUnitId",
                                22)));

        assertThat(workspace
                        .eligibility("contactId=" + ada + "&channel=EMAIL&topic=capillary.ou11.bulk")
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        assertThat(workspace
                        .eligibility("contactId=" + ada + "&channel=EMAIL&topic=capillary.ou22.bulk")
                        .get("eligible")
                        .asBoolean())
                .isFalse();
        JsonNode topics = api.get("/v1/topics", workspace.adminKey()).json().get("topics");
        List<String> capillaryTopics = new ArrayList<>();
        topics.forEach(topic -> {
            if (topic.get("key").asString().startsWith("capillary.")) {
                capillaryTopics.add(
                        topic.get("key").asString() + " " + topic.get("kind").asString() + " "
                                + topic.get("defaultOptIn").asBoolean());
            }
        });
        assertThat(capillaryTopics)
                .containsExactly("capillary.ou11.bulk MARKETING false", "capillary.ou22.bulk MARKETING false");
    }

    @Test
    void requestsRacingToUseANewOrgUnitCreateItsTopicOnceAndAllApply() throws Exception {
        int threads = 8;
        List<Long> customers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            customers.add(capillary.register("9198765432" + (20 + i), "racer" + i + "@example.com"));
        }
        String body = update(
                Map.of("channel", "EMAIL", "accountId", "01", "priority", "BULK", "type", "OPTIN", "orgUnitId", 777));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (long customer : customers) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return capillary.post(subscriptions(customer), body).status();
                }));
            }
            start.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        }
        for (long customer : customers) {
            assertThat(workspace.events(customer).findValuesAsString("to")).containsExactly("SUBSCRIBED");
        }
        assertThat(api.get("/v1/topics/capillary.ou777.bulk", workspace.adminKey())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void channelsWithoutAnAddressAreKeptPerAccountAndListedByTheirCapillaryNames() {
        ApiClient.Response response = capillary.post(
                subscriptions(ada),
                update(
                        Map.of(
                                "channel",
                                "WeChat",
                                "accountId",
                                "wx-1",
                                "priority",
                                "BULK",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1),
                        Map.of(
                                "channel",
                                "ios",
                                "accountId",
                                "app",
                                "priority",
                                "BULK",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1),
                        Map.of(
                                "channel",
                                "android",
                                "accountId",
                                "app",
                                "priority",
                                "BULK",
                                "type",
                                "OPTOUT",
                                "orgUnitId",
                                1),
                        Map.of(
                                "channel",
                                "LINE",
                                "accountId",
                                "l-1",
                                "priority",
                                "TRANS",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1),
                        Map.of(
                                "channel",
                                "whatsapp",
                                "accountId",
                                "wa",
                                "priority",
                                "TRANS",
                                "type",
                                "OPTIN",
                                "orgUnitId",
                                1)));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("warnings")).isEmpty();
        assertThat(summary(capillary.get(subscriptions(ada)).json().get("subscriptions")))
                .containsExactlyInAnyOrder(
                        "wechat wx-1 BULK OPTIN 1 null",
                        "ios app BULK OPTIN 1 null",
                        "android app BULK OPTOUT 1 null",
                        "line l-1 TRANS OPTIN 1 null",
                        "whatsapp wa TRANS OPTIN 1 null");
        assertThat(workspace
                        .events(ada)
                        .valueStream()
                        .map(e -> e.get("address").asString())
                        .toList())
                .containsExactly("wechat:wx-1", "ios:app", "android:app", "line:l-1", "+919876543210");
    }

    @Test
    void malformedBodiesAreA400InV2Shape() {
        for (String body : List.of(
                "{",
                "{\"subscriptions\": []}",
                "{\"subscriptions\": [{\"orgUnitId\": \"x\"}]}",
                "{\"reason\": 5, \"nope\": 1}")) {
            ApiClient.Response response = capillary.post(subscriptions(ada), body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("status").asBoolean())
                    .isFalse();
            assertThat(response.json().get("errors").get(0).get("code").asInt()).isEqualTo(400);
            assertThat(response.json().has("warnings")).isTrue();
            assertThat(response.text()).doesNotContain("Exception").doesNotContain("tools.jackson");
        }
        assertError(capillary.post("/capillary/v2/customers/abc/subscriptions", "{}"), 400, 400);
        assertError(
                capillary.post("/capillary/v2/customers/lookup/subscriptions?identifierName=email", "{}"), 400, 400);
        assertThat(workspace.events(ada)).isEmpty();
    }

    @Test
    void customersAreRegisteredOnceAndFoundByAnyIdentifier() {
        ApiClient.Response again = capillary.post("/capillary/v2/customers", """
                {"root": "ignored", "profiles": [{"firstName": "Ada", "identifiers": [
                  {"type": "email", "value": "ada@example.com"}, {"type": "externalId", "value": "crm-1"}],
                  "fields": {"city": "London"}}], "loyaltyInfo": {"loyaltyType": "loyalty"}}
                """);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().get("createdId").asLong()).isEqualTo(ada);
        assertThat(again.json().get("warnings")).hasSize(1);

        ApiClient.Response found = capillary.get(
                "/capillary/v2/customers/lookup?source=INSTORE&identifierName=externalId&identifierValue=crm-1");
        assertThat(found.status()).as(found.text()).isEqualTo(200);
        assertThat(found.json().get("id").asLong()).isEqualTo(ada);
        JsonNode profile = found.json().get("profiles").get(0);
        assertThat(profile.get("firstName").asString()).isEqualTo("Ada");
        assertThat(profile.get("lastName").asString()).isEqualTo("Lovelace");
        assertThat(profile.get("identifiers").findValuesAsString("value"))
                .containsExactlyInAnyOrder("ada@example.com", "crm-1", "919876543210");
        assertThat(capillary
                        .get("/capillary/v2/customers/" + ada)
                        .json()
                        .get("id")
                        .asLong())
                .isEqualTo(ada);

        assertError(
                capillary.get(
                        "/capillary/v2/customers/lookup?source=INSTORE&identifierName=mobile&identifierValue=919999999999"),
                400,
                8015);
        assertError(
                capillary.get("/capillary/v2/customers/lookup?source=INSTORE&identifierName=mobile&identifierValue=12"),
                400,
                1104);
        assertError(
                capillary.post(
                        "/capillary/v2/customers",
                        "{\"profiles\": [{\"identifiers\": [{\"type\": \"mobile\", \"value\": \"12\"}]}]}"),
                400,
                1104);
        assertError(capillary.post("/capillary/v2/customers", "{\"profiles\": []}"), 400, 400);
        // an identifier of another customer and one of this one name two people
        capillary.register("919876543211", "grace@example.com");
        assertError(
                capillary.post(
                        "/capillary/v2/customers",
                        "{\"profiles\": [{\"identifiers\": [{\"type\": \"email\", \"value\": \"grace@example.com\"},"
                                + " {\"type\": \"mobile\", \"value\": \"919876543210\"}]}]}"),
                409,
                409);
    }

    private long registerMobileOnly(String mobile) {
        ApiClient.Response response = capillary.post(
                "/capillary/v2/customers",
                "{\"profiles\": [{\"identifiers\": [{\"type\": \"mobile\", \"value\": \"" + mobile + "\"}]}]}");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("createdId").asLong();
    }

    private static void assertError(ApiClient.Response response, int status, int code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("errors").get(0).get("code").asInt())
                .as(response.text())
                .isEqualTo(code);
        assertThat(response.json().get("errors").get(0).get("status").asBoolean())
                .isFalse();
        assertThat(response.text()).doesNotContain("Exception");
    }

    private static List<String> summary(JsonNode items) {
        List<String> lines = new ArrayList<>();
        items.forEach(item -> lines.add(item.get("channel").asString() + " "
                + item.get("accountId").asString() + " "
                + item.get("priority").asString() + " " + item.get("type").asString() + " "
                + item.get("orgUnitId").asLong() + " "
                + (item.has("sourceName") ? item.get("sourceName").asString() : "null")));
        return lines;
    }

    private static String subscriptions(long userId) {
        return "/capillary/v2/customers/" + userId + "/subscriptions";
    }

    @SafeVarargs
    private static String update(Map<String, Object>... items) {
        return ApiClient.json(
                Map.of("reason", "back in", "communicationId", -1, "campaignId", 42, "subscriptions", List.of(items)));
    }
}
