package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.platform.Hashing;
import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class CapillaryAuthTests extends WorkspaceApiTest {

    private static final String V11 = "/capillary/v1.1/customer/subscriptions?format=json&id=";
    private static final String V2 = "/capillary/v2/customers/";

    @Autowired
    JdbcClient jdbc;

    private long ada;

    @BeforeEach
    void registerCustomer() {
        ada = CapillaryClient.fullKey(workspace).register("919876543210", "ada@example.com");
    }

    @Test
    void thePasswordIsTheKeyOrItsMd5AndAnyUserNameWillDo() {
        assertThat(CapillaryClient.fullKey(workspace).get(V11 + ada).status()).isEqualTo(200);
        assertThat(CapillaryClient.md5(workspace).get(V11 + ada).status()).isEqualTo(200);
        assertThat(get(V11 + ada, CapillaryClient.basic("till.store1", Hashing.md5Hex(workspace.adminKey())))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void wrongOrMissingCredentialsAre401InTheShapeOfTheVersionAsked() {
        for (String authorization : List.of(
                CapillaryClient.basic("key_x", "wrong"),
                CapillaryClient.basic("key_x", Hashing.md5Hex("wrong")),
                CapillaryClient.basic(
                        "key_x", Hashing.md5Hex(workspace.adminKey()).toUpperCase()),
                "Bearer " + workspace.adminKey(),
                "Basic %%%",
                "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes()))) {
            ApiClient.Response v11 = get(V11 + ada, authorization);
            assertThat(v11.status()).as(authorization).isEqualTo(401);
            assertThat(v11.header("WWW-Authenticate")).isEqualTo("Basic realm=\"capillary\"");
            assertThat(v11.json().get("response").get("status").get("code").asInt())
                    .isEqualTo(401);
            assertThat(v11.json().get("response").get("status").get("success").asBoolean())
                    .isFalse();

            ApiClient.Response v2 = get(V2 + ada + "/subscriptions", authorization);
            assertThat(v2.status()).isEqualTo(401);
            assertThat(v2.json().get("errors").get(0).get("code").asInt()).isEqualTo(401);
        }
        ApiClient.Response none = workspace.api().send("GET", V2 + ada + "/subscriptions", Map.of(), null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("errors").get(0).get("message").asString()).contains("Basic");
    }

    @Test
    void aReadOnlyKeyReadsButCannotWrite() {
        ApiClient.Response issued = api.post(
                "/v1/api-keys",
                workspace.adminKey(),
                ApiClient.json(Map.of("name", "reader", "scopes", List.of("subscriptions:read"))));
        String reader = issued.json().get("key").asString();
        String authorization = CapillaryClient.basic(issued.json().get("id").asString(), Hashing.md5Hex(reader));

        assertThat(get(V2 + ada + "/subscriptions", authorization).status()).isEqualTo(200);
        ApiClient.Response write = workspace
                .api()
                .send(
                        "POST",
                        "/capillary/v1.1/customer/subscriptions",
                        Map.of("Authorization", authorization, "Content-Type", "application/json"),
                        "{\"root\": {\"subscription\": [{\"id\": \"" + ada
                                + "\", \"channel\": \"email\", \"priority\": \"BULK\", \"is_subscribed\": \"1\"}]}}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("response").get("status").get("code").asInt())
                .isEqualTo(403);
        assertThat(workspace.events(ada)).isEmpty();
    }

    @Test
    void aRevokedKeyStopsWorkingInBothForms() {
        ApiClient.Response issued = api.post(
                "/v1/api-keys",
                workspace.adminKey(),
                ApiClient.json(Map.of("name", "temp", "scopes", List.of("subscriptions:read"))));
        String key = issued.json().get("key").asString();
        String id = issued.json().get("id").asString();
        assertThat(get(V2 + ada + "/subscriptions", CapillaryClient.basic(id, Hashing.md5Hex(key)))
                        .status())
                .isEqualTo(200);

        assertThat(api.delete("/v1/api-keys/" + id, workspace.adminKey()).status())
                .isEqualTo(204);

        assertThat(get(V2 + ada + "/subscriptions", CapillaryClient.basic(id, Hashing.md5Hex(key)))
                        .status())
                .isEqualTo(401);
        assertThat(get(V2 + ada + "/subscriptions", CapillaryClient.basic(id, key))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aKeyIssuedBeforeMd5HashesLearnsItsOwnOnItsFirstFullUse() {
        ApiClient.Response issued = api.post(
                "/v1/api-keys",
                workspace.adminKey(),
                ApiClient.json(Map.of("name", "old", "scopes", List.of("subscriptions:read"))));
        String key = issued.json().get("key").asString();
        String id = issued.json().get("id").asString();
        jdbc.sql("update api_keys set secret_md5_hash = null where id = :id")
                .param("id", id)
                .update();

        assertThat(get(V2 + ada + "/subscriptions", CapillaryClient.basic(id, Hashing.md5Hex(key)))
                        .status())
                .isEqualTo(401);
        assertThat(api.get("/v1/topics", key).status()).isEqualTo(200);
        assertThat(get(V2 + ada + "/subscriptions", CapillaryClient.basic(id, Hashing.md5Hex(key)))
                        .status())
                .isEqualTo(200);
    }

    private ApiClient.Response get(String path, String authorization) {
        return workspace.api().send("GET", path, Map.of("Authorization", authorization), null);
    }
}
