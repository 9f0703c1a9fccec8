package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Problems;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The endpoint API: admin keys only, secrets shown once, filters validated, other workspaces' endpoints unseen. */
class WebhooksApiTests extends WorkspaceApiTest {

    private static final String URL = "https://192.0.2.10/optledger";

    @Test
    void anEndpointIsCreatedWithASecretShownOnceThenChangedAndDeleted() {
        ApiClient.Response created = api.post(
                "/v1/webhooks",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "url", URL,
                        "description", "CRM sync",
                        "eventTypes", List.of("subscription.confirmed"),
                        "topics", List.of("marketing"),
                        "channels", List.of("EMAIL", "SMS"))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode hook = created.json();
        String id = hook.get("id").asString();
        String secret = hook.get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeBetween(24, 64);
        assertThat(hook.get("url").asString()).isEqualTo(URL);
        assertThat(hook.get("enabled").asBoolean()).isTrue();
        assertThat(hook.get("eventTypes").valueStream().map(JsonNode::asString))
                .containsExactly("subscription.confirmed");
        assertThat(hook.get("channels").valueStream().map(JsonNode::asString)).containsExactly("EMAIL", "SMS");

        JsonNode read = api.get("/v1/webhooks/" + id, workspace.adminKey()).json();
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("description").asString()).isEqualTo("CRM sync");
        JsonNode listed = api.get("/v1/webhooks", workspace.adminKey()).json().get("webhooks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(api.get("/v1/webhooks", workspace.adminKey()).text()).doesNotContain(secret.substring(6));

        JsonNode patched = api.patch(
                        "/v1/webhooks/" + id,
                        workspace.adminKey(),
                        ApiClient.json(Map.of("eventTypes", List.of(), "enabled", false, "description", "")))
                .json();
        assertThat(patched.get("eventTypes")).isEmpty();
        assertThat(patched.get("topics").valueStream().map(JsonNode::asString)).containsExactly("marketing");
        assertThat(patched.get("enabled").asBoolean()).isFalse();
        assertThat(patched.get("disabledReason").asString()).isEqualTo("disabled through the API");
        assertThat(patched.get("description").isNull()).isTrue();

        assertThat(api.delete("/v1/webhooks/" + id, workspace.adminKey()).status())
                .isEqualTo(204);
        Problems.assertProblem(api.get("/v1/webhooks/" + id, workspace.adminKey()), 404, "not-found");
        Problems.assertProblem(api.delete("/v1/webhooks/" + id, workspace.adminKey()), 404, "not-found");
        assertThat(api.get("/v1/webhooks", workspace.adminKey()).json().get("webhooks"))
                .isEmpty();
    }

    @Test
    void badFiltersAndPagesAreRefusedWhole() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("url", URL, "eventTypes", List.of("topic.created")),
                Map.of("url", URL, "eventTypes", List.of("webhook.test")),
                Map.of("url", URL, "topics", List.of("Not A Key")),
                Map.of("url", URL, "channels", List.of("FAX")),
                Map.of("url", URL, "description", "x".repeat(501)),
                Map.of("url", URL, "secret", "whsec_mine"),
                Map.of("description", "no url"))) {
            Problems.assertProblem(
                    api.post("/v1/webhooks", workspace.adminKey(), ApiClient.json(body)), 400, "invalid-request");
        }
        Problems.assertProblem(
                api.post("/v1/webhooks", workspace.adminKey(), "{\"url\":\"" + URL + "\",\"topics\":[null]}"),
                400,
                "invalid-request");
        assertThat(api.get("/v1/webhooks", workspace.adminKey()).json().get("webhooks"))
                .isEmpty();

        String id = api.post("/v1/webhooks", workspace.adminKey(), ApiClient.json(Map.of("url", URL)))
                .json()
                .get("id")
                .asString();
        for (String query : List.of("limit=0", "limit=101", "status=LOST", "limit=x")) {
            Problems.assertProblem(
                    api.get("/v1/webhooks/" + id + "/deliveries?" + query, workspace.adminKey()),
                    400,
                    "invalid-request");
        }
        Problems.assertProblem(
                api.post(
                        "/v1/webhooks/" + id + "/rotate-secret",
                        workspace.adminKey(),
                        ApiClient.json(Map.of("gracePeriod", "P8D"))),
                400,
                "invalid-request");
        Problems.assertProblem(
                api.post("/v1/webhooks/" + id + "/deliveries/msg_nonesuch/retry", workspace.adminKey(), ""),
                404,
                "not-found");
        assertThat(api.get("/v1/webhooks/" + id + "/deliveries", workspace.adminKey())
                        .json()
                        .get("deliveries"))
                .isEmpty();
    }

    @Test
    void onlyAdminKeysOfTheWorkspaceReachItsEndpoints() {
        String id = api.post("/v1/webhooks", workspace.adminKey(), ApiClient.json(Map.of("url", URL)))
                .json()
                .get("id")
                .asString();
        String writer = workspace.key("subscriptions:write");
        Problems.assertProblem(api.get("/v1/webhooks", writer), 403, "forbidden");
        Problems.assertProblem(api.post("/v1/webhooks", writer, ApiClient.json(Map.of("url", URL))), 403, "forbidden");
        Problems.assertProblem(api.get("/v1/webhooks/" + id, null), 401, "unauthenticated");

        TestWorkspace other = TestWorkspace.create(api);
        Problems.assertProblem(api.get("/v1/webhooks/" + id, other.adminKey()), 404, "not-found");
        Problems.assertProblem(api.post("/v1/webhooks/" + id + "/test", other.adminKey(), ""), 404, "not-found");
        Problems.assertProblem(
                api.post("/v1/webhooks/" + id + "/rotate-secret", other.adminKey(), ""), 404, "not-found");
        Problems.assertProblem(api.delete("/v1/webhooks/" + id, other.adminKey()), 404, "not-found");
        assertThat(api.get("/v1/webhooks", other.adminKey()).json().get("webhooks"))
                .isEmpty();
        assertThat(api.get("/v1/webhooks/" + id, workspace.adminKey()).status()).isEqualTo(200);
    }
}
