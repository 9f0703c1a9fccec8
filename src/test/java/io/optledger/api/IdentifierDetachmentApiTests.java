package io.optledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Problems;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Issue 12, finding 10: a recycled phone number is detached, and its new owner starts clean. */
class IdentifierDetachmentApiTests extends WorkspaceApiTest {

    private static final String PHONE = "+14155550142";
    private static final String PHONE_PATH = "%2B14155550142";

    @Test
    void aDetachedNumberNamesNobodyAndTheOldOwnersConsentNoLongerCounts() {
        long old = workspace.contact("old@example.com", PHONE);
        change(old, "marketing", "OPT_IN");
        change(old, "transactional", "OPT_OUT");
        assertThat(eligible("marketing")).isTrue();
        assertThat(eligible("transactional")).isFalse();

        ApiClient.Response detached = api.delete(
                "/v1/contacts/" + old + "/identifiers/phone/" + PHONE_PATH + "?reason=reassigned",
                workspace.adminKey());

        assertThat(detached.status()).as(detached.text()).isEqualTo(200);
        assertThat(detached.json().get("formerContact").asLong()).isEqualTo(old);
        assertThat(detached.json().get("subscriptionsDetached").asInt()).isEqualTo(2);
        assertThat(eligible("marketing")).as("the old owner's opt-in").isFalse();
        assertThat(eligible("transactional"))
                .as("the topic default, not the old owner's opt-out")
                .isTrue();
        assertThat(api.get("/v1/contacts/" + old, workspace.adminKey()).json().has("phone"))
                .isFalse();
        JsonNode events = workspace.events(old);
        assertThat(events.findValuesAsString("action")).endsWith("DETACH", "DETACH");
        assertThat(events.get(events.size() - 1).get("reason").asString()).isEqualTo("reassigned");
        assertThat(workspace.verify(old).get("valid").asBoolean()).isTrue();
        JsonNode trail = api.get("/v1/ledger/workspace-events?afterSeq=2", workspace.adminKey())
                .json();
        assertThat(trail.get("events").get(0).get("kind").asString()).isEqualTo("IDENTIFIER_DETACHED");
        assertThat(trail.get("events").get(0).get("subject").asString()).isEqualTo("contact:" + old);

        long next = workspace.contact("new@example.com", PHONE);
        assertThat(next).isNotEqualTo(old);
        assertThat(eligible("marketing")).isFalse();
        change(next, "marketing", "OPT_IN");
        assertThat(eligible("marketing"))
                .as("the new owner's own opt-in, not blocked by the old row")
                .isTrue();
    }

    @Test
    void aStopFromARecycledNumberReachesOnlyItsNewOwner() {
        long old = workspace.contact("old@example.com", PHONE);
        change(old, "marketing", "OPT_IN");
        api.delete("/v1/contacts/" + old + "/identifiers/phone/" + PHONE_PATH, workspace.adminKey());
        long next = workspace.contact("new@example.com", PHONE);

        ApiClient.Response stop = api.post(
                "/v1/inbound/sms", workspace.adminKey(), ApiClient.json(Map.of("from", PHONE, "body", "STOP")));

        assertThat(stop.status()).as(stop.text()).isEqualTo(200);
        assertThat(workspace.events(old).findValuesAsString("source")).doesNotContain("sms-keyword");
        assertThat(workspace.events(next).findValuesAsString("source")).contains("sms-keyword");
    }

    @Test
    void registeringWithReassignTakesTheNumberOverClean() {
        long old = workspace.contact("old@example.com", PHONE);
        change(old, "marketing", "OPT_IN");

        ApiClient.Response refused = api.post(
                "/v1/contacts",
                workspace.adminKey(),
                ApiClient.json(Map.of("email", "new@example.com", "phone", PHONE)));
        assertThat(refused.status())
                .as("without reassign the number names the old owner")
                .isEqualTo(409);

        ApiClient.Response created = api.post(
                "/v1/contacts",
                workspace.adminKey(),
                ApiClient.json(Map.of("email", "new@example.com", "phone", PHONE, "reassign", true)));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("phone").asString()).isEqualTo(PHONE);
        assertThat(eligible("marketing")).isFalse();
        assertThat(workspace.events(old).findValuesAsString("action")).endsWith("DETACH");
    }

    @Test
    void aCarrierReportDetachesEveryHolderAndIsIdempotent() {
        long old = workspace.contact("old@example.com", PHONE);
        long family = workspace.contact("family@example.com", "+14155550199");
        change(old, "marketing", "OPT_IN");
        ApiClient.Response shared = workspace.change(Map.of(
                "contactId", family, "channel", "SMS", "address", PHONE, "topic", "marketing", "action", "OPT_IN"));
        assertThat(shared.status()).isEqualTo(200);

        JsonNode first = reassigned(List.of(PHONE, "+14155550123"));
        assertThat(first.get(0).get("formerContact").asLong()).isEqualTo(old);
        assertThat(first.get(0).get("subscriptionsDetached").asInt()).isEqualTo(2);
        assertThat(first.get(1).get("formerContact").isNull()).isTrue();
        assertThat(first.get(1).get("subscriptionsDetached").asInt()).isZero();
        assertThat(workspace.events(family).findValuesAsString("reason")).contains("carrier_reassigned");
        assertThat(eligible("marketing")).isFalse();

        JsonNode again = reassigned(List.of(PHONE));
        assertThat(again.get(0).get("subscriptionsDetached").asInt()).isZero();
        assertThat(again.get(0).get("formerContact").isNull()).isTrue();
    }

    @Test
    void badInputIsRefusedWithNothingWritten() {
        long old = workspace.contact("old@example.com", PHONE);
        change(old, "marketing", "OPT_IN");

        ApiClient.Response invalid = api.post(
                "/v1/phone-reassignments",
                workspace.adminKey(),
                ApiClient.json(Map.of("numbers", List.of(PHONE, "not a number"))));
        Problems.assertProblem(invalid, 400, "invalid-request");
        assertThat(eligible("marketing")).as("nothing written").isTrue();

        ApiClient.Response notHeld =
                api.delete("/v1/contacts/" + old + "/identifiers/email/other%40example.com", workspace.adminKey());
        Problems.assertProblem(notHeld, 404, "not-found");

        TestWorkspace other = TestWorkspace.create(api);
        ApiClient.Response foreign =
                api.delete("/v1/contacts/" + old + "/identifiers/phone/" + PHONE_PATH, other.adminKey());
        Problems.assertProblem(foreign, 404, "not-found");

        ApiClient.Response detachAsChange =
                workspace.change(Map.of("contactId", old, "channel", "SMS", "topic", "marketing", "action", "DETACH"));
        Problems.assertProblem(detachAsChange, 400, "invalid-request");
        assertThat(eligible("marketing")).isTrue();
    }

    private void change(long contact, String topic, String action) {
        ApiClient.Response response =
                workspace.change(Map.of("contactId", contact, "channel", "SMS", "topic", topic, "action", action));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private boolean eligible(String topic) {
        return workspace
                .eligibility("channel=SMS&topic=" + topic + "&address=%2B14155550142")
                .get("eligible")
                .asBoolean();
    }

    private JsonNode reassigned(List<String> numbers) {
        ApiClient.Response response =
                api.post("/v1/phone-reassignments", workspace.adminKey(), ApiClient.json(Map.of("numbers", numbers)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("results");
    }
}
