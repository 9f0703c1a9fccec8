package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Issue 12, finding 8: consent is recorded at the address an item names, and national numbers stay national. */
class CapillaryAddressTests extends WorkspaceApiTest {

    private static final String PATH = "/capillary/v1.1/customer/subscriptions?format=json";

    private CapillaryClient capillary;
    private long ada;

    @BeforeEach
    void registerCustomer() {
        capillary = CapillaryClient.md5(workspace);
        ada = capillary.register("16175550123", "ada@example.com");
    }

    @Test
    void anItemIsRecordedAtTheAddressItNamesNotTheStoredOne() {
        ApiClient.Response response = capillary.post(
                PATH,
                items(Map.of(
                        "id",
                        Long.toString(ada),
                        "email",
                        "ada.work@example.com",
                        "channel",
                        "email",
                        "priority",
                        "BULK",
                        "is_subscribed",
                        "0")));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode event = workspace.events(ada).get(0);
        assertThat(event.get("address").asString()).isEqualTo("ada.work@example.com");
        assertThat(event.get("to").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=capillary.bulk&address=ada.work@example.com")
                        .get("eligible")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void aUsNationalNumberIsReadInTheWorkspaceRegionNotAsACountryCode() {
        ApiClient.Response response = capillary.post(PATH, items(item("mobile", "6175550123", "sms", "1")));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode events = workspace.events(ada);
        assertThat(events.valueStream().map(e -> e.get("address").asString()).toList())
                .containsExactly("+16175550123");
        assertThat(response.json()
                        .get("response")
                        .get("subscriptions")
                        .get("subscription")
                        .get(0)
                        .get("user_id")
                        .asString())
                .isEqualTo(Long.toString(ada));
    }

    @Test
    void aNumberWithItsCountryCodeIsTakenWhenValid() {
        long grace = capillary.register("919876543210", "grace@example.com");

        ApiClient.Response response = capillary.post(PATH, items(item("mobile", "919876543210", "sms", "1")));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(workspace
                        .events(grace)
                        .valueStream()
                        .map(e -> e.get("address").asString())
                        .toList())
                .containsExactly("+919876543210");
    }

    @Test
    void aNumberValidNeitherWayIsRefusedWithCapillarysCode() {
        ApiClient.Response response = capillary.post(PATH, items(item("mobile", "6175550", "sms", "1")));

        assertThat(response.status()).as(response.text()).isEqualTo(500);
        assertThat(response.json()
                        .get("response")
                        .get("subscriptions")
                        .get("subscription")
                        .get(0)
                        .get("item_status")
                        .get("code")
                        .asInt())
                .isEqualTo(1104);
        assertThat(workspace.events(ada)).isEmpty();
    }

    @SafeVarargs
    private static String items(Map<String, Object>... items) {
        return ApiClient.json(Map.of("root", Map.of("subscription", List.of(items))));
    }

    private static Map<String, Object> item(String identifier, String value, String channel, String subscribed) {
        return Map.of(
                identifier, value, "channel", channel, "priority", "BULK", "scope", "all", "is_subscribed", subscribed);
    }
}
