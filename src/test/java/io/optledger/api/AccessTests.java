package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTests extends WorkspaceApiTest {

    @Test
    void refusesRequestsWithoutAKnownKey() {
        ApiClient.Response missing = api.get("/v1/topics", null);
        assertProblem(missing, 401, "unauthenticated");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(api.get("/v1/topics", "olk_not_a_key_at_all_0000"), 401, "unauthenticated");
    }

    @Test
    void refusesAKeyWithoutTheScope() {
        String readOnly = issue(workspace.adminKey(), List.of("subscriptions:read"));
        assertThat(api.get("/v1/topics", readOnly).status()).isEqualTo(200);
        assertProblem(api.post("/v1/contacts", readOnly, "{\"email\":\"a@example.com\"}"), 403, "forbidden");
        assertProblem(api.get("/v1/api-keys", readOnly), 403, "forbidden");
        assertProblem(api.post("/v1/workspaces", workspace.adminKey(), "{\"name\":\"x\"}"), 403, "forbidden");
    }

    @Test
    void writeScopeImpliesRead() {
        String writer = issue(workspace.adminKey(), List.of("subscriptions:write"));
        assertThat(api.get("/v1/topics", writer).status()).isEqualTo(200);
    }

    @Test
    void anAdminCannotHandOutSystemPower() {
        ApiClient.Response response = api.post(
                "/v1/api-keys",
                workspace.adminKey(),
                ApiClient.json(Map.of("name", "escalate", "scopes", List.of("system"))));
        assertProblem(response, 403, "forbidden");
    }

    @Test
    void listsKeysWithoutSecretsAndRevokesThemAtOnce() {
        String key = issue(workspace.adminKey(), List.of("subscriptions:read"));
        var listed = api.get("/v1/api-keys", workspace.adminKey());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).doesNotContain(key);
        assertThat(listed.json().get("keys")).hasSize(2);
        String id = listed.json().get("keys").get(1).get("id").asString();

        assertThat(api.delete("/v1/api-keys/" + id, workspace.adminKey()).status())
                .isEqualTo(204);
        assertProblem(api.get("/v1/topics", key), 401, "unauthenticated");
        assertThat(api.get("/v1/api-keys", workspace.adminKey())
                        .json()
                        .get("keys")
                        .get(1)
                        .has("revokedAt"))
                .isTrue();
    }

    @Test
    void anotherWorkspacesObjectsAreNotFound() {
        long contact = workspace.contact("mine@example.com", "+14155550101");
        TestWorkspace other = TestWorkspace.create(api);

        assertProblem(api.get("/v1/contacts/" + contact, other.adminKey()), 404, "not-found");
        assertProblem(api.get("/v1/contacts/" + contact + "/events", other.adminKey()), 404, "not-found");
        assertProblem(api.get("/v1/contacts/" + contact + "/subscriptions", other.adminKey()), 404, "not-found");
        assertThat(api.get("/v1/contacts?email=mine@example.com", other.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
        String otherKeyId = api.get("/v1/api-keys", workspace.adminKey())
                .json()
                .get("keys")
                .get(0)
                .get("id")
                .asString();
        assertProblem(api.delete("/v1/api-keys/" + otherKeyId, other.adminKey()), 404, "not-found");

        ApiClient.Response change = other.change(
                Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        assertThat(change.json().at("/results/0/reason").asString()).isEqualTo("contact_not_found");
        assertThat(workspace.events(contact)).isEmpty();
    }

    private String issue(String adminKey, List<String> scopes) {
        ApiClient.Response response =
                api.post("/v1/api-keys", adminKey, ApiClient.json(Map.of("name", "test", "scopes", scopes)));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("key").asString();
    }
}
