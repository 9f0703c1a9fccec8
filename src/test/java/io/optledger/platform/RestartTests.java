package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.OptLedgerApplication;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
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

    // the suite's own bootstrap key, so that on a shared external database whichever test starts first bootstraps alike
    private static final String KEY = ApiTest.SYSTEM_KEY;
    private static final String OTHER_KEY = "olk_another_key_that_must_never_be_created";

    @TempDir
    Path dataDir;

    @Test
    void aRestartKeepsDataAndTheBootstrapKey() {
        String email = "restart-" + UUID.randomUUID() + "@example.com";
        long contact;
        JsonNode keysBefore;
        try (ConfigurableApplicationContext first = start(KEY)) {
            ApiClient api = client(first);
            ApiClient.Response created = api.post("/v1/contacts", KEY, ApiClient.json(Map.of("email", email)));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            contact = created.json().get("id").asLong();
            keysBefore = api.get("/v1/api-keys", KEY).json();
        }
        try (ConfigurableApplicationContext second = start(OTHER_KEY)) {
            ApiClient api = client(second);
            assertThat(api.get("/v1/contacts?email=" + email, KEY)
                            .json()
                            .at("/contacts/0/id")
                            .asLong())
                    .isEqualTo(contact);
            assertThat(api.get("/v1/api-keys", KEY).json()).isEqualTo(keysBefore);
            assertThat(api.get("/v1/topics", OTHER_KEY).status()).isEqualTo(401);
        }
    }

    private ConfigurableApplicationContext start(String bootstrapKey) {
        // arguments, not builder properties: those are defaults that application.yml overrides
        return new SpringApplicationBuilder(OptLedgerApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--optledger.data-dir=" + dataDir,
                        "--optledger.bootstrap-api-key=" + bootstrapKey,
                        "--logging.structured.format.console=");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
