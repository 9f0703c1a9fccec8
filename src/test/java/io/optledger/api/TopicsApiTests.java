package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TopicsApiTests extends WorkspaceApiTest {

    @Test
    void createsReadsAndUpdatesTopics() {
        ApiClient.Response created = api.post(
                "/v1/topics",
                workspace.adminKey(),
                "{\"key\":\"weekly-digest\",\"name\":\"Weekly digest\",\"kind\":\"MARKETING\",\"doubleOptIn\":[\"EMAIL\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("defaultOptIn").asBoolean()).isFalse();

        ApiClient.Response patched =
                api.patch("/v1/topics/weekly-digest", workspace.adminKey(), "{\"name\":\"Digest\",\"doubleOptIn\":[]}");
        assertThat(patched.status()).isEqualTo(200);
        JsonNode topic =
                api.get("/v1/topics/weekly-digest", workspace.adminKey()).json();
        assertThat(topic.get("name").asString()).isEqualTo("Digest");
        assertThat(topic.get("kind").asString()).isEqualTo("MARKETING");
        assertThat(topic.get("doubleOptIn")).isEmpty();
        assertThat(api.get("/v1/topics", workspace.adminKey()).json().get("topics"))
                .hasSize(3);
    }

    @Test
    void refusesDuplicateAndMalformedTopics() {
        String key = workspace.adminKey();
        assertProblem(
                api.post("/v1/topics", key, "{\"key\":\"marketing\",\"name\":\"Again\",\"kind\":\"MARKETING\"}"),
                409,
                "conflict");
        assertProblem(
                api.post("/v1/topics", key, "{\"key\":\"Bad Key\",\"name\":\"x\",\"kind\":\"MARKETING\"}"),
                400,
                "invalid-request");
        assertProblem(
                api.post("/v1/topics", key, "{\"key\":\"ok\",\"name\":\"x\",\"kind\":\"PROMO\"}"),
                400,
                "invalid-request");
        assertProblem(api.patch("/v1/topics/nope", key, "{\"name\":\"x\"}"), 404, "not-found");
        assertProblem(api.patch("/v1/topics/marketing", key, "{\"kind\":\"TRANSACTIONAL\"}"), 400, "invalid-request");
    }

    @Test
    void onlyATransactionalTopicCanBeMandatory() {
        String key = workspace.adminKey();
        assertProblem(api.patch("/v1/topics/marketing", key, "{\"mandatory\":true}"), 400, "invalid-request");
        assertProblem(
                api.post(
                        "/v1/topics",
                        key,
                        "{\"key\":\"promo\",\"name\":\"P\",\"kind\":\"MARKETING\",\"mandatory\":true}"),
                400,
                "invalid-request");
        assertThat(api.get("/v1/topics/marketing", key).json().get("mandatory").asBoolean())
                .isFalse();
        assertThat(api.get("/v1/topics/promo", key).status()).isEqualTo(404);
    }

    @Test
    void aTopicWithExplicitOptOutsCannotBeMadeMandatory() {
        String key = workspace.adminKey();
        long contact = workspace.contact("receipts@example.com", "+14155550901");
        ApiClient.Response optOut = workspace.change(java.util.Map.of(
                "contactId", contact, "channel", "EMAIL", "topic", "transactional", "action", "OPT_OUT"));
        assertThat(optOut.json().at("/results/0/outcome").asString()).isEqualTo("created");

        assertProblem(api.patch("/v1/topics/transactional", key, "{\"mandatory\":true}"), 409, "conflict");
        assertThat(api.get("/v1/topics/transactional", key)
                        .json()
                        .get("mandatory")
                        .asBoolean())
                .isFalse();
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=transactional&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isFalse();

        // a transactional topic no one has left can be
        assertThat(api.post("/v1/topics", key, "{\"key\":\"resets\",\"name\":\"Resets\",\"kind\":\"TRANSACTIONAL\"}")
                        .status())
                .isEqualTo(201);
        ApiClient.Response patched = api.patch("/v1/topics/resets", key, "{\"mandatory\":true}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().get("mandatory").asBoolean()).isTrue();
    }
}
