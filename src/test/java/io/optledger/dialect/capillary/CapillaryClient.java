package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.platform.Hashing;
import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Calls the Capillary dialect as Capillary's own clients do: Basic with the key's id and md5(key) as the password. */
record CapillaryClient(ApiClient api, String authorization) {

    static CapillaryClient md5(TestWorkspace workspace) {
        return new CapillaryClient(workspace.api(), basic(keyId(workspace), Hashing.md5Hex(workspace.adminKey())));
    }

    static CapillaryClient fullKey(TestWorkspace workspace) {
        return new CapillaryClient(workspace.api(), basic(keyId(workspace), workspace.adminKey()));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    ApiClient.Response post(String path, String json) {
        return api.send("POST", path, Map.of("Authorization", authorization, "Content-Type", "application/json"), json);
    }

    ApiClient.Response get(String path) {
        return api.send("GET", path, Map.of("Authorization", authorization), null);
    }

    /** Registers a customer through Capillary's v2 customer API and answers its id. */
    long register(String mobile, String email) {
        ApiClient.Response response = post(
                "/capillary/v2/customers",
                ApiClient.json(Map.of(
                        "profiles",
                        List.of(Map.of(
                                "firstName",
                                "Ada",
                                "lastName",
                                "Lovelace",
                                "source",
                                "INSTORE",
                                "identifiers",
                                List.of(
                                        Map.of("type", "mobile", "value", mobile),
                                        Map.of("type", "email", "value", email)))))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("createdId").asLong();
    }

    private static String keyId(TestWorkspace workspace) {
        return workspace
                .api()
                .get("/v1/api-keys", workspace.adminKey())
                .json()
                .get("keys")
                .get(0)
                .get("id")
                .asString();
    }
}
