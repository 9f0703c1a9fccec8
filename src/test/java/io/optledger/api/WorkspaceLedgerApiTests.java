package io.optledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Owner;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Issue 12, finding 9: suppressions and topic policy changes are on a hash-chained, verified workspace ledger. */
class WorkspaceLedgerApiTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @Test
    void aWorkspaceStartsWithItsTopicsOnTheLedger() {
        List<JsonNode> events = events();

        assertThat(events).extracting(e -> e.get("kind").asString()).containsExactly("TOPIC_CREATED", "TOPIC_CREATED");
        assertThat(events)
                .extracting(e -> e.get("subject").asString())
                .containsExactly("topic:transactional", "topic:marketing");
        assertThat(events.get(0).get("prevHash").asString()).isEqualTo("0".repeat(64));
        assertThat(events.get(1).get("prevHash").asString())
                .isEqualTo(events.get(0).get("hash").asString());
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    void suppressionsAddedChangedAndLiftedAreRecordedWithWhoAndWhy() {
        suppress("MANUAL", "asked by phone");
        suppress("COMPLAINT", null);
        suppress("COMPLAINT", null);
        ApiClient.Response lifted = api.delete(
                "/v1/suppressions?channel=EMAIL&address=Ada@Example.com&reason=complaint%20withdrawn",
                workspace.adminKey());
        assertThat(lifted.status()).as(lifted.text()).isEqualTo(204);

        List<JsonNode> events = events().subList(2, events().size());
        assertThat(events)
                .extracting(e -> e.get("kind").asString() + " "
                        + e.get("before").asString("-") + " " + e.get("after").asString("-") + " "
                        + e.get("reason").asString("-"))
                .containsExactly(
                        "SUPPRESSION_ADDED - MANUAL asked by phone",
                        "SUPPRESSION_CHANGED MANUAL COMPLAINT -",
                        "SUPPRESSION_LIFTED COMPLAINT - complaint withdrawn");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("subject").asString()).isEqualTo("EMAIL:ada@example.com");
            assertThat(e.get("source").asString()).isEqualTo("api");
            assertThat(e.get("apiKeyId").asString()).isNotBlank();
            assertThat(e.get("requestId").asString()).isNotBlank();
        });
        assertThat(verify().get("valid").asBoolean()).isTrue();
        assertThat(verify().get("eventsChecked").asLong()).isEqualTo(5);
    }

    @Test
    void keywordSuppressionsAreRecordedAsTheKeywords() {
        text("STOPALL");
        text("START");

        List<JsonNode> events = events().subList(2, events().size());
        assertThat(events)
                .extracting(e -> e.get("kind").asString() + " "
                        + e.get("source").asString() + " " + e.get("reason").asString())
                .containsExactly("SUPPRESSION_ADDED sms-keyword STOPALL", "SUPPRESSION_LIFTED sms-keyword START");
        assertThat(events.getFirst().get("subject").asString()).isEqualTo("SMS:+14155550142");
    }

    @Test
    void topicPolicyChangesRecordBeforeAndAfterAndARenameToTheSameNameRecordsNothing() {
        patch("transactional", Map.of("mandatory", true));
        patch("transactional", Map.of("name", "Transactional"));

        List<JsonNode> events = events();
        assertThat(events).hasSize(3);
        JsonNode changed = events.get(2);
        assertThat(changed.get("kind").asString()).isEqualTo("TOPIC_CHANGED");
        assertThat(changed.get("before").asString()).contains("mandatory=false");
        assertThat(changed.get("after").asString()).contains("mandatory=true");
    }

    @Test
    void aRewrittenEventIsFoundByVerify() {
        suppress("LEGAL_HOLD", "case 123");
        // as the schema's owner: the application's own role cannot disable the trigger
        JdbcClient owner = Owner.jdbc(context);
        owner.sql("alter table workspace_events disable trigger workspace_events_append_only")
                .update();
        try {
            owner.sql("update workspace_events set after = 'BOUNCE' where workspace_id = :w and seq = 3")
                    .param("w", workspace.id())
                    .update();
        } finally {
            owner.sql("alter table workspace_events enable trigger workspace_events_append_only")
                    .update();
        }

        JsonNode verification = verify();
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.get("firstMismatch").get("seq").asLong()).isEqualTo(3);
    }

    @Test
    void theLedgerRefusesRewritesAndDeletes() {
        suppress("MANUAL", null);
        for (String sql : List.of(
                "update workspace_events set after = 'BOUNCE' where workspace_id = :w",
                "delete from workspace_events where workspace_id = :w")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> jdbc.sql(sql).param("w", workspace.id()).update())
                    .rootCause()
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void concurrentSuppressionsKeepOneLinearChain() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String address = "person" + i + "@example.com";
                answers.add(pool.submit(() -> api.post(
                        "/v1/suppressions",
                        workspace.adminKey(),
                        ApiClient.json(Map.of("channel", "EMAIL", "address", address, "reason", "BOUNCE")))));
            }
            for (Future<ApiClient.Response> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().text()).isEqualTo(201);
            }
        }

        assertThat(events())
                .extracting(e -> e.get("seq").asLong())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 42).boxed().toList());
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    private void suppress(String reason, String note) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(
                Map.of("channel", "EMAIL", "address", "Ada@Example.com", "reason", reason));
        if (note != null) {
            body.put("note", note);
        }
        ApiClient.Response response = api.post("/v1/suppressions", workspace.adminKey(), ApiClient.json(body));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    private void text(String body) {
        ApiClient.Response response = api.post(
                "/v1/inbound/sms", workspace.adminKey(), ApiClient.json(Map.of("from", "+14155550142", "body", body)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private void patch(String topic, Map<String, Object> fields) {
        ApiClient.Response response = api.patch("/v1/topics/" + topic, workspace.adminKey(), ApiClient.json(fields));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private List<JsonNode> events() {
        ApiClient.Response response = api.get("/v1/ledger/workspace-events?limit=1000", workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        response.json().get("events").forEach(events::add);
        return events;
    }

    private JsonNode verify() {
        ApiClient.Response response = api.get("/v1/ledger/workspace-events/verify", workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }
}
