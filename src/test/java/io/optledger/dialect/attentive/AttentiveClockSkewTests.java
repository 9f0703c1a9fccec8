package io.optledger.dialect.attentive;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An Attentive unsubscribe takes effect even when the opt-in before it was dated ahead of the server's clock. */
class AttentiveClockSkewTests extends WorkspaceApiTest {

    private static final String PHONE = "+19148440001";

    @Test
    void anUnsubscribeAfterAnOptInDatedAheadOfTheClockTakesEffect() {
        AttentiveClient attentive = new AttentiveClient(workspace);
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        ApiClient.Response subscribed = attentive.post(
                "subscriptions",
                ApiClient.json(Map.of("user", Map.of("phone", PHONE), "signUpSourceId", unit, "singleOptIn", true)));
        assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(202);
        ApiClient.Response skewed = workspace.change(Map.of(
                "phone",
                PHONE,
                "channel",
                "SMS",
                "topic",
                "marketing",
                "action",
                "OPT_IN",
                "occurredAt",
                Instant.now().plus(2, ChronoUnit.MINUTES).toString()));
        assertThat(skewed.json().at("/results/0/outcome").asString())
                .as(skewed.text())
                .isEqualTo("unchanged");
        assertThat(eligible()).isTrue();

        ApiClient.Response unsubscribed =
                attentive.post("subscriptions/unsubscribe", "{\"user\": {\"phone\": \"" + PHONE + "\"}}");

        assertThat(unsubscribed.status()).as(unsubscribed.text()).isEqualTo(202);
        assertThat(unsubscribed
                        .json()
                        .at("/subscriptionResponses/0/subscriptionUnsubscribeStatus")
                        .asString())
                .isEqualTo("NEWLY_UNSUBSCRIBED");
        assertThat(eligible()).isFalse();
    }

    private boolean eligible() {
        return workspace
                .eligibility("channel=SMS&topic=marketing&phone=%2B19148440001")
                .get("eligible")
                .asBoolean();
    }
}
