package io.optledger.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Inbound SMS keywords over real HTTP: findings 1, 2 and 6 of issue 12. */
class InboundKeywordsTests extends WorkspaceApiTest {

    @Test
    void startLiftsOnlyAKeywordSuppressionAndRestoresOnlyWhatTheStopChanged() {
        String phone = "+14155550401";
        long contact = workspace.contact("resume@example.com", phone);
        topic("promo", false);
        optIn(contact, "marketing");
        optIn(contact, "promo");
        // left through another channel before the STOP: START must not bring it back
        assertThat(outcome(change(contact, "promo", "OPT_OUT", null))).isEqualTo("changed");
        ApiClient.Response hold = api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"SMS\",\"address\":\"" + phone + "\",\"reason\":\"LEGAL_HOLD\"}");
        assertThat(hold.status()).as(hold.text()).isEqualTo(201);

        assertThat(sms(phone, "STOPALL").get("changed").asInt()).isEqualTo(1);
        JsonNode start = sms(phone, "START");
        assertThat(start.get("action").asString()).isEqualTo("resumed");
        assertThat(start.get("changed").asInt()).isEqualTo(1);

        // the legal hold is still there: START lifts only what a keyword made
        JsonNode held = workspace.eligibility("channel=SMS&topic=marketing&phone=%2B14155550401");
        assertThat(held.get("eligible").asBoolean()).isFalse();
        assertThat(held.at("/reasons/0/detail").asString()).contains("LEGAL_HOLD");

        assertThat(api.delete("/v1/suppressions?channel=SMS&address=%2B14155550401", workspace.adminKey())
                        .status())
                .isEqualTo(204);
        assertThat(eligible(phone, "marketing")).isTrue();
        assertThat(eligible(phone, "promo")).isFalse();
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void aBareYWithNothingPendingChangesNothing() {
        String phone = "+14155550402";
        long contact = workspace.contact("bare-y@example.com", phone);
        optIn(contact, "marketing");
        sms(phone, "STOP");
        int events = workspace.events(contact).size();

        for (String body : List.of("y", "YES", "Yes!")) {
            JsonNode y = sms(phone, body);
            assertThat(y.get("action").asString()).as(body).isEqualTo("none");
            assertThat(y.get("changed").asInt()).isZero();
        }
        assertThat(eligible(phone, "marketing")).isFalse();
        assertThat(workspace.events(contact)).hasSize(events);
    }

    @Test
    void stopHandlesMoreThanAThousandSubscriptions() {
        String phone = "+14155550403";
        long contact = workspace.contact("many@example.com", phone);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1_050; i++) {
            topic("unit-" + i, false);
            items.add(Map.of("contactId", contact, "channel", "SMS", "topic", "unit-" + i, "action", "OPT_IN"));
        }
        for (List<Map<String, Object>> batch : List.of(items.subList(0, 1_000), items.subList(1_000, 1_050))) {
            ApiClient.Response response =
                    api.post("/v1/subscriptions/changes", workspace.adminKey(), ApiClient.json(Map.of("items", batch)));
            assertThat(response.status()).as(response.text()).isEqualTo(200);
        }

        JsonNode stop = sms(phone, "STOPALL");

        assertThat(stop.get("action").asString()).isEqualTo("opted_out");
        assertThat(stop.get("changed").asInt()).isEqualTo(1_050);
        assertThat(eligible(phone, "unit-0")).isFalse();
        assertThat(eligible(phone, "unit-1049")).isFalse();
        assertThat(workspace
                        .eligibility("channel=SMS&topic=transactional&phone=%2B14155550403")
                        .at("/reasons/0/code")
                        .asString())
                .isEqualTo("suppressed");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();

        assertThat(sms(phone, "UNSTOP").get("changed").asInt()).isEqualTo(1_050);
        assertThat(eligible(phone, "unit-1049")).isTrue();
    }

    @Test
    void stopBindsTopicsThatDefaultToOptedInAndBeatsEarlierDatedOptInsThatArriveLater() {
        topic("deals", true);
        String phone = "+14155550404";
        long contact = workspace.contact("defaults@example.com", phone);
        assertThat(eligible(phone, "deals")).isTrue();
        String beforeTheStop = Instant.now().minus(1, ChronoUnit.MINUTES).toString();

        assertThat(sms(phone, "Stop.").get("changed").asInt()).isEqualTo(1);

        assertThat(eligible(phone, "deals")).isFalse();
        // the web form's opt-in, given a minute before the STOP, is delivered after it
        assertThat(outcome(change(contact, "marketing", "OPT_IN", beforeTheStop)))
                .isEqualTo("stale");
        assertThat(outcome(change(contact, "deals", "OPT_IN", beforeTheStop))).isEqualTo("stale");
        assertThat(eligible(phone, "marketing")).isFalse();
        assertThat(eligible(phone, "deals")).isFalse();

        // a number no contact holds yet is bound too, and the STOP is on a ledger
        String stranger = "+14155550405";
        assertThat(eligible(stranger, "deals")).isTrue();
        assertThat(sms(stranger, "STOP").get("action").asString()).isEqualTo("opted_out");
        assertThat(eligible(stranger, "deals")).isFalse();

        // START gives back what the STOP took, the topic's default included
        assertThat(sms(phone, "START").get("changed").asInt()).isEqualTo(1);
        assertThat(eligible(phone, "deals")).isTrue();
        assertThat(eligible(phone, "marketing")).isFalse();
    }

    @Test
    void punctuationAndCommonPhrasingsAreOptOuts() {
        List<String> bodies = List.of("Stop.", "STOP!", "stop please", "Unsubscribe me", "Opt-out");
        for (int i = 0; i < bodies.size(); i++) {
            String phone = "+1415555042" + i;
            long contact = workspace.contact("phrasing" + i + "@example.com", phone);
            optIn(contact, "marketing");

            JsonNode handled = sms(phone, bodies.get(i));

            assertThat(handled.get("action").asString()).as(bodies.get(i)).isEqualTo("opted_out");
            assertThat(eligible(phone, "marketing")).as(bodies.get(i)).isFalse();
        }
        String phone = "+14155550430";
        long contact = workspace.contact("sentence@example.com", phone);
        optIn(contact, "marketing");
        assertThat(sms(phone, "Don't stop!").get("action").asString()).isEqualTo("none");
        assertThat(eligible(phone, "marketing")).isTrue();
    }

    private JsonNode sms(String from, String body) {
        ApiClient.Response response =
                api.post("/v1/inbound/sms", workspace.adminKey(), ApiClient.json(Map.of("from", from, "body", body)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private void topic(String key, boolean defaultOptIn) {
        ApiClient.Response response = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(Map.of("key", key, "name", key, "kind", "MARKETING", "defaultOptIn", defaultOptIn)));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    private void optIn(long contact, String topic) {
        assertThat(outcome(change(contact, topic, "OPT_IN", null))).isIn("created", "changed");
    }

    private ApiClient.Response change(long contact, String topic, String action, String occurredAt) {
        Map<String, Object> item =
                new HashMap<>(Map.of("contactId", contact, "channel", "SMS", "topic", topic, "action", action));
        if (occurredAt != null) {
            item.put("occurredAt", occurredAt);
        }
        return workspace.change(item);
    }

    private static String outcome(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().at("/results/0/outcome").asString();
    }

    private boolean eligible(String phone, String topic) {
        return workspace
                .eligibility("channel=SMS&topic=" + topic + "&phone=" + phone.replace("+", "%2B"))
                .get("eligible")
                .asBoolean();
    }
}
