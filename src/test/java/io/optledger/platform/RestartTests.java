package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.OptLedgerApplication;
import io.optledger.support.ApiClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Stopping and starting the service keeps its data and creates no second bootstrap key. */
class RestartTests {

    @TempDir
    Path dataDir;

    @Test
    void aRestartKeepsDataAndTheBootstrapKey() {
        String key = "olk_restart_" + UUID.randomUUID().toString().replace("-", "");
        String email = "restart-" + UUID.randomUUID() + "@example.com";
        long contact;
        JsonNode keysBefore;
        try (ConfigurableApplicationContext first = start(key)) {
            ApiClient api = client(first);
            String workspaceKey = workspaceKey(api, key);
            ApiClient.Response created = api.post("/v1/contacts", workspaceKey, ApiClient.json(Map.of("email", email)));
            assertThat(created.status()).isEqualTo(201);
            contact = created.json().get("id").asLong();
            keysBefore = api.get("/v1/api-keys", workspaceKey).json();
        }
        try (ConfigurableApplicationContext second = start("olk_another_key_that_must_not_be_created")) {
            ApiClient api = client(second);
            String workspaceKey = workspaceKey(api, key);
            assertThat(api.get("/v1/contacts?email=" + email, workspaceKey)
                            .json()
                            .at("/contacts/0/id")
                            .asLong())
                    .isEqualTo(contact);
            assertThat(api.get("/v1/api-keys", workspaceKey).json()).isEqualTo(keysBefore);
            assertThat(api.get("/v1/topics", "olk_another_key_that_must_not_be_created")
                            .status())
                    .isEqualTo(401);
        }
    }

    /** With the embedded database the bootstrap key is this run's; on a shared server it may be an earlier one's. */
    private static String workspaceKey(ApiClient api, String key) {
        return api.get("/v1/topics", key).status() == 200 ? key : io.optledger.support.ApiTest.SYSTEM_KEY;
    }

    private ConfigurableApplicationContext start(String bootstrapKey) {
        // arguments, not builder properties: those are defaults that application.yml overrides
        return new SpringApplicationBuilder(OptLedgerApplication.class)
                .run(
                        "--server.port=0",
                        "--optledger.data-dir=" + dataDir,
                        "--optledger.bootstrap-api-key=" + bootstrapKey,
                        "--logging.structured.format.console=");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
