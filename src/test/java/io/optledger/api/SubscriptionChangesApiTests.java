package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.idempotency.Claim;
import io.optledger.idempotency.IdempotencyKeys;
import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class SubscriptionChangesApiTests extends WorkspaceApiTest {

    @Autowired
    IdempotencyKeys idempotencyKeys;

    @Autowired
    JdbcClient jdbc;

    long contact;

    @BeforeEach
    void setUp() {
        contact = workspace.contact("alan@example.com", "+14155550123");
    }

    @Test
    void reportsAnOutcomePerItem() {
        ApiClient.Response response = changes(
                item("OPT_IN", "marketing"),
                item("OPT_IN", "marketing"),
                item("OPT_OUT", "marketing"),
                with(item("OPT_IN", "marketing"), "occurredAt", "2001-01-01T00:00:00Z"),
                item("OPT_IN", "no-such-topic"),
                with(item("OPT_IN", "marketing"), "channel", "PUSH"),
                Map.of("contactId", 999_999_999, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("results").findValuesAsString("outcome"))
                .containsExactly("created", "unchanged", "changed", "stale", "rejected", "rejected", "rejected");
        assertThat(body.at("/results/4/reason").asString()).isEqualTo("unknown_topic");
        assertThat(body.at("/results/5/reason").asString()).isEqualTo("no_address");
        assertThat(body.at("/results/6/reason").asString()).isEqualTo("contact_not_found");
        assertThat(body.at("/summary/created").asInt()).isEqualTo(1);
        assertThat(body.at("/summary/rejected").asInt()).isEqualTo(3);
        assertThat(body.at("/results/2/previousStatus").asString()).isEqualTo("SUBSCRIBED");
        assertThat(body.at("/results/3/subscription/status").asString()).isEqualTo("UNSUBSCRIBED");
        // created, unchanged, changed and stale are on the ledger; resolution failures name nothing to record
        assertThat(workspace.events(contact).findValuesAsString("outcome"))
                .containsExactly("CREATED", "UNCHANGED", "CHANGED", "STALE");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void enqueuesAnOutboxEventForEveryStateChangeAndNoOther() {
        changes(
                item("OPT_IN", "marketing"),
                item("OPT_IN", "marketing"),
                item("OPT_OUT", "marketing"),
                with(item("OPT_IN", "marketing"), "occurredAt", "2001-01-01T00:00:00Z"),
                item("CONFIRM", "marketing"));
        List<Map<String, Object>> outbox = jdbc.sql(
                        "select event_type, payload->>'from' as from_status, payload->>'to' as to_status,"
                                + " (payload->>'eventSeq')::bigint as seq from outbox"
                                + " where workspace_id = :workspace and contact_id = :contact order by id")
                .param("workspace", workspace.id())
                .param("contact", contact)
                .query()
                .listOfRows();
        assertThat(outbox).hasSize(2);
        assertThat(outbox.get(0))
                .containsEntry("event_type", "subscription.changed")
                .containsEntry("to_status", "SUBSCRIBED")
                .containsEntry("seq", 1L);
        assertThat(outbox.get(1))
                .containsEntry("from_status", "SUBSCRIBED")
                .containsEntry("to_status", "UNSUBSCRIBED")
                .containsEntry("seq", 3L);
    }

    @Test
    void keepsNewerOptOutWhenOlderOptInArrives() {
        Instant optedOut = Instant.parse("2026-06-01T12:00:00Z");
        changes(with(item("OPT_OUT", "marketing"), "occurredAt", optedOut.toString()));
        ApiClient.Response old = changes(with(
                item("OPT_IN", "marketing"),
                "occurredAt",
                optedOut.minus(1, ChronoUnit.HOURS).toString()));

        assertThat(old.json().at("/results/0/outcome").asString()).isEqualTo("stale");
        JsonNode eligibility = workspace.eligibility("channel=EMAIL&topic=marketing&contactId=" + contact);
        assertThat(eligibility.get("eligible").asBoolean()).isFalse();
        assertThat(eligibility.at("/reasons/0/code").asString()).isEqualTo("opted_out");
        JsonNode events = workspace.events(contact);
        assertThat(events.get(1).get("outcome").asString()).isEqualTo("STALE");
        assertThat(events.get(1).get("to").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void optOutWinsTies() {
        String at = "2026-03-03T03:03:03.123456Z";
        changes(with(item("OPT_IN", "marketing"), "occurredAt", at));
        assertThat(outcome(changes(with(item("OPT_OUT", "marketing"), "occurredAt", at))))
                .isEqualTo("changed");
        assertThat(outcome(changes(with(item("OPT_IN", "marketing"), "occurredAt", at))))
                .isEqualTo("stale");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&email=alan@example.com")
                        .get("eligible")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void doubleOptInWaitsForConfirmation() {
        ApiClient.Response patched =
                api.patch("/v1/topics/marketing", workspace.adminKey(), "{\"doubleOptIn\":[\"EMAIL\"]}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);

        assertThat(changes(item("CONFIRM", "marketing"))
                        .json()
                        .at("/results/0/reason")
                        .asString())
                .isEqualTo("not_pending");
        ApiClient.Response requested = changes(item("REQUEST_OPT_IN", "marketing"));
        assertThat(requested.json().at("/results/0/subscription/status").asString())
                .isEqualTo("PENDING");
        JsonNode pending = workspace.eligibility("channel=EMAIL&topic=marketing&contactId=" + contact);
        assertThat(pending.get("eligible").asBoolean()).isFalse();
        assertThat(pending.at("/reasons/0/code").asString()).isEqualTo("pending");

        ApiClient.Response confirmed = changes(item("CONFIRM", "marketing"));
        assertThat(confirmed.json().at("/results/0/outcome").asString()).isEqualTo("changed");
        assertThat(confirmed.json().at("/results/0/subscription/status").asString())
                .isEqualTo("SUBSCRIBED");
        // SMS has no double opt-in on this topic
        assertThat(changes(with(item("REQUEST_OPT_IN", "marketing"), "channel", "SMS"))
                        .json()
                        .at("/results/0/subscription/status")
                        .asString())
                .isEqualTo("SUBSCRIBED");
        JsonNode events = workspace.events(contact);
        assertThat(events.get(0).get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(events.get(0).get("rejectReason").asString()).isEqualTo("NOT_PENDING");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void mandatoryTopicsCannotBeLeft() {
        ApiClient.Response topic = api.post(
                "/v1/topics",
                workspace.adminKey(),
                "{\"key\":\"password-reset\",\"name\":\"Password reset\",\"kind\":\"TRANSACTIONAL\","
                        + "\"defaultOptIn\":true,\"mandatory\":true}");
        assertThat(topic.status()).as(topic.text()).isEqualTo(201);

        ApiClient.Response optOut = changes(item("OPT_OUT", "password-reset"));
        assertThat(optOut.json().at("/results/0/reason").asString()).isEqualTo("mandatory_topic");
        JsonNode eligibility = workspace.eligibility("channel=EMAIL&topic=password-reset&contactId=" + contact);
        assertThat(eligibility.get("eligible").asBoolean()).isTrue();
        assertThat(eligibility.at("/reasons/0/code").asString()).isEqualTo("mandatory");
    }

    @Test
    void suspendsUntilATimeAndResumes() {
        changes(item("OPT_IN", "marketing"));
        String until = Instant.now()
                .plus(2, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        ApiClient.Response suspended = changes(with(item("SUSPEND", "marketing"), "suspendedUntil", until));
        assertThat(suspended.json().at("/results/0/subscription/status").asString())
                .isEqualTo("SUSPENDED");
        JsonNode eligibility = workspace.eligibility("channel=EMAIL&topic=marketing&contactId=" + contact);
        assertThat(eligibility.get("eligible").asBoolean()).isFalse();
        assertThat(eligibility.at("/reasons/0/code").asString()).isEqualTo("suspended_until");
        assertThat(eligibility.at("/reasons/0/until").asString()).isEqualTo(until);

        assertThat(outcome(changes(item("RESUME", "marketing")))).isEqualTo("changed");
        assertThat(outcome(changes(item("RESUME", "marketing")))).isEqualTo("unchanged");

        String past = Instant.now().minus(1, ChronoUnit.MINUTES).toString();
        changes(with(item("SUSPEND", "marketing"), "suspendedUntil", past));
        JsonNode ended = workspace.eligibility("channel=EMAIL&topic=marketing&contactId=" + contact);
        assertThat(ended.get("eligible").asBoolean()).isTrue();
        assertThat(ended.at("/reasons/0/code").asString()).isEqualTo("suspension_ended");
        assertThat(changes(with(item("SUSPEND", "transactional"), "channel", "WHATSAPP"))
                        .json()
                        .at("/results/0/subscription/address")
                        .asString())
                .isEqualTo("+14155550123");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void consentBelongsToTheAddressItWasGivenFor() {
        changes(with(with(item("OPT_IN", "marketing"), "channel", "SMS"), "address", "(415) 555-0199"));
        assertThat(workspace
                        .eligibility("channel=SMS&topic=marketing&phone=%2B14155550199")
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        // the contact's own phone was never asked
        JsonNode own = workspace.eligibility("channel=SMS&topic=marketing&contactId=" + contact);
        assertThat(own.get("eligible").asBoolean()).isFalse();
        assertThat(own.at("/reasons/0/code").asString()).isEqualTo("topic_default");
    }

    @Test
    void refusesBadInputWholeAndWritesNothing() {
        Map<String, Object> valid = item("OPT_IN", "marketing");
        String key = workspace.adminKey();
        assertProblem(api.post("/v1/subscriptions/changes", key, "{\"items\": [ {"), 400, "invalid-request");
        assertProblem(api.post("/v1/subscriptions/changes", key, "[]"), 400, "invalid-request");
        assertProblem(changes(valid, with(item("OPT_IN", "marketing"), "contactId", "abc")), 400, "invalid-request");
        ApiClient.Response unknownEnum = changes(valid, item("MAYBE", "marketing"));
        assertProblem(unknownEnum, 400, "invalid-request");
        assertThat(unknownEnum.json().get("detail").asString())
                .contains("MAYBE")
                .contains("items[1].action");
        assertProblem(changes(valid, with(item("OPT_IN", "marketing"), "channel", "FAX")), 400, "invalid-request");
        assertProblem(changes(valid, with(item("OPT_IN", "marketing"), "colour", "blue")), 400, "invalid-request");
        ApiClient.Response badEmail = changes(valid, with(item("OPT_IN", "marketing"), "address", "nope@"));
        assertProblem(badEmail, 400, "invalid-request");
        assertThat(badEmail.json().at("/errors/0/field").asString()).isEqualTo("items[1].address");
        assertProblem(
                changes(valid, with(with(item("OPT_IN", "marketing"), "channel", "SMS"), "address", "555")),
                400,
                "invalid-request");
        assertProblem(
                changes(valid, Map.of("email", "alan@example.com", "topic", "marketing", "action", "OPT_IN")),
                400,
                "invalid-request");
        assertProblem(
                changes(valid, with(item("OPT_IN", "marketing"), "email", "alan@example.com")), 400, "invalid-request");
        assertProblem(api.post("/v1/subscriptions/changes", key, "{\"items\":[]}"), 400, "invalid-request");

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(valid);
        }
        ApiClient.Response oversize =
                api.post("/v1/subscriptions/changes", key, ApiClient.json(Map.of("items", tooMany)));
        assertProblem(oversize, 400, "invalid-request");

        assertThat(workspace.events(contact)).isEmpty();
        assertThat(api.get("/v1/contacts/" + contact + "/subscriptions", key)
                        .json()
                        .get("subscriptions"))
                .isEmpty();
    }

    @Test
    void replaysTheFirstResponseForARepeatedIdempotencyKey() {
        String body = ApiClient.json(Map.of("items", List.of(item("OPT_IN", "marketing"))));
        Map<String, String> headers = Map.of("Idempotency-Key", "retry-1");
        ApiClient.Response first = api.post("/v1/subscriptions/changes", workspace.adminKey(), body, headers);
        ApiClient.Response second = api.post("/v1/subscriptions/changes", workspace.adminKey(), body, headers);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(workspace.events(contact)).hasSize(1);

        String other = ApiClient.json(Map.of("items", List.of(item("OPT_OUT", "marketing"))));
        assertProblem(
                api.post("/v1/subscriptions/changes", workspace.adminKey(), other, headers),
                422,
                "idempotency-key-reused");
        assertThat(workspace.events(contact)).hasSize(1);

        // another workspace may use the same key for its own request
        TestWorkspace neighbour = TestWorkspace.create(api);
        assertThat(api.post("/v1/subscriptions/changes", neighbour.adminKey(), body, headers)
                        .json()
                        .at("/results/0/reason")
                        .asString())
                .isEqualTo("contact_not_found");
    }

    @Test
    void refusesARetryWhileTheFirstIsInFlight() {
        Claim first = idempotencyKeys.claim(
                workspace.id(), "in-flight-1", "a request still running".getBytes(StandardCharsets.UTF_8));
        assertThat(first).isInstanceOf(Claim.Fresh.class);
        String body = ApiClient.json(Map.of("items", List.of(item("OPT_IN", "marketing"))));
        assertProblem(
                api.post(
                        "/v1/subscriptions/changes",
                        workspace.adminKey(),
                        body,
                        Map.of("Idempotency-Key", "in-flight-1")),
                409,
                "idempotency-key-in-flight");
        assertThat(workspace.events(contact)).isEmpty();
    }

    @Test
    void aFailedRequestFreesItsIdempotencyKey() {
        Map<String, String> headers = Map.of("Idempotency-Key", "fails-then-works");
        String bad = ApiClient.json(Map.of("items", List.of(with(item("OPT_IN", "marketing"), "address", "x@"))));
        assertProblem(
                api.post("/v1/subscriptions/changes", workspace.adminKey(), bad, headers), 400, "invalid-request");
        String good = ApiClient.json(Map.of("items", List.of(item("OPT_IN", "marketing"))));
        assertThat(api.post("/v1/subscriptions/changes", workspace.adminKey(), good, headers)
                        .status())
                .isEqualTo(200);
    }

    private Map<String, Object> item(String action, String topic) {
        return Map.of("contactId", contact, "channel", "EMAIL", "topic", topic, "action", action);
    }

    private static Map<String, Object> with(Map<String, Object> item, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(item);
        copy.put(field, value);
        return copy;
    }

    @SafeVarargs
    private ApiClient.Response changes(Map<String, Object>... items) {
        return api.post(
                "/v1/subscriptions/changes", workspace.adminKey(), ApiClient.json(Map.of("items", List.of(items))));
    }

    private static String outcome(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().at("/results/0/outcome").asString();
    }
}
