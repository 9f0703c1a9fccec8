package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Capillary opt-out takes effect even when the opt-in before it was dated ahead of the server's clock. */
class CapillaryClockSkewTests extends WorkspaceApiTest {

    private CapillaryClient capillary;
    private long ada;

    @BeforeEach
    void registerCustomer() {
        capillary = CapillaryClient.md5(workspace);
        ada = capillary.register("919876543210", "ada@example.com");
    }

    @Test
    void aV11OptOutAfterAnOptInDatedAheadOfTheClockTakesEffect() {
        assertThat(v11("1").status()).isEqualTo(200);
        skewedOptIn("SMS");
        assertThat(eligible("SMS")).isTrue();

        ApiClient.Response optedOut = v11("0");

        assertThat(optedOut.status()).as(optedOut.text()).isEqualTo(200);
        assertThat(eligible("SMS")).isFalse();
        assertThat(workspace.events(ada).findValuesAsString("outcome"))
                .containsExactly("CREATED", "UNCHANGED", "CHANGED");
    }

    @Test
    void aV2OptOutAfterAnOptInDatedAheadOfTheClockTakesEffect() {
        assertThat(v2("OPTIN").status()).isEqualTo(200);
        skewedOptIn("EMAIL");
        assertThat(eligible("EMAIL")).isTrue();

        ApiClient.Response optedOut = v2("OPTOUT");

        assertThat(optedOut.status()).as(optedOut.text()).isEqualTo(200);
        assertThat(eligible("EMAIL")).isFalse();
        assertThat(workspace.events(ada).findValuesAsString("outcome"))
                .containsExactly("CREATED", "UNCHANGED", "CHANGED");
    }

    private ApiClient.Response v11(String subscribed) {
        return capillary.post(
                "/capillary/v1.1/customer/subscriptions?format=json",
                ApiClient.json(Map.of(
                        "root",
                        Map.of(
                                "subscription",
                                List.of(Map.of(
                                        "mobile",
                                        "919876543210",
                                        "channel",
                                        "sms",
                                        "priority",
                                        "BULK",
                                        "scope",
                                        "all",
                                        "is_subscribed",
                                        subscribed))))));
    }

    private ApiClient.Response v2(String type) {
        return capillary.post(
                "/capillary/v2/customers/" + ada + "/subscriptions",
                ApiClient.json(Map.of(
                        "subscriptions",
                        List.of(Map.of(
                                "channel",
                                "EMAIL",
                                "accountId",
                                "01",
                                "priority",
                                "BULK",
                                "type",
                                type,
                                "orgUnitId",
                                -1,
                                "sourceName",
                                "INSTORE")))));
    }

    /** The same subscription opted in again through the native API by a client whose clock runs 2 minutes ahead. */
    private void skewedOptIn(String channel) {
        ApiClient.Response response = workspace.change(Map.of(
                "contactId",
                ada,
                "channel",
                channel,
                "topic",
                "capillary.bulk",
                "action",
                "OPT_IN",
                "occurredAt",
                Instant.now().plus(2, ChronoUnit.MINUTES).toString()));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().at("/results/0/outcome").asString()).isEqualTo("unchanged");
    }

    private boolean eligible(String channel) {
        return workspace
                .eligibility("channel=" + channel + "&topic=capillary.bulk&contactId=" + ada)
                .get("eligible")
                .asBoolean();
    }
}
