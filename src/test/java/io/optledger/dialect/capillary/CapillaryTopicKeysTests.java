package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 6: a topic named like Capillary's but with an org unit beyond any Capillary id (created through
 * the native API) is not a Capillary topic: the customer's Capillary reads answer, never a 500.
 */
class CapillaryTopicKeysTests extends WorkspaceApiTest {

    private static final String HUGE = "capillary.ou99999999999999999999999.bulk";

    private CapillaryClient capillary;
    private long ada;

    @BeforeEach
    void customerWithASubscriptionToTheOddTopic() {
        capillary = CapillaryClient.md5(workspace);
        ada = capillary.register("919876543210", "ada@example.com");
        ApiClient.Response topic = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(Map.of("key", HUGE, "name", "odd", "kind", "MARKETING")));
        assertThat(topic.status()).as(topic.text()).isEqualTo(201);
        ApiClient.Response change =
                workspace.change(Map.of("contactId", ada, "channel", "EMAIL", "topic", HUGE, "action", "OPT_IN"));
        assertThat(change.status()).as(change.text()).isEqualTo(200);
    }

    @Test
    void theCustomersCapillaryReadsAnswer() {
        for (String path : new String[] {
            "/capillary/v2/customers/" + ada + "/subscriptions",
            "/capillary/v2/customers/" + ada + "/subscriptionStatusChangeLog",
            "/capillary/v1.1/customer/subscriptions?format=json&id=" + ada
        }) {
            ApiClient.Response response = capillary.get(path);
            assertThat(response.status()).as(path + " " + response.text()).isEqualTo(200);
            assertThat(response.text()).doesNotContain("99999999999999999999999");
        }
    }
}
