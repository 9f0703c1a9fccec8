package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.OptLedgerApplication;
import io.optledger.consent.ledger.LedgerCheckpoints;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Stopping and starting the service keeps its data and signing keys, and creates no second bootstrap key. */
class RestartTests {

    // the suite's own bootstrap key, so that on a shared external database whichever test starts first bootstraps alike
    private static final String KEY = ApiTest.SYSTEM_KEY;
    private static final String OTHER_KEY = "olk_another_key_that_must_never_be_created";
    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    @Test
    // on a shared external database a round would checkpoint every test's workspace with this test's own keys
    @DisabledIfEnvironmentVariable(named = "OPTLEDGER_DATABASE_URL", matches = ".+")
    void aRestartKeepsTheSigningKeyAndItsCheckpointsStillVerify() throws IOException {
        long contact;
        JsonNode keysBefore;
        try (ConfigurableApplicationContext first = start(KEY)) {
            ApiClient api = client(first);
            contact = api.post("/v1/contacts", KEY, ApiClient.json(Map.of("email", "signed@example.com")))
                    .json()
                    .get("id")
                    .asLong();
            ApiClient.Response changed = api.post(
                    "/v1/subscriptions/changes",
                    KEY,
                    ApiClient.json(Map.of(
                            "items",
                            List.of(Map.of(
                                    "contactId",
                                    contact,
                                    "channel",
                                    "EMAIL",
                                    "topic",
                                    "marketing",
                                    "action",
                                    "OPT_IN")))));
            assertThat(changed.status()).as(changed.text()).isEqualTo(200);
            assertThat(first.getBean(LedgerCheckpoints.class).checkpointOnce()).isEqualTo(1);
            keysBefore = api.get("/.well-known/optledger/keys", null).json();
            assertThat(keysBefore.get("keys")).hasSize(1);
            // the copy outside the database: one JSON line per checkpoint, the same as the service serves
            List<String> lines = Files.readAllLines(dataDir.resolve("checkpoints.jsonl"));
            assertThat(lines).hasSize(1);
            JsonNode served = api.get("/v1/ledger/checkpoints/1", KEY).json();
            JsonNode copied = JSON.readTree(lines.getFirst());
            for (String field : List.of("number", "keyId", "root", "signature", "entriesDigest")) {
                assertThat(copied.get(field)).as(field).isEqualTo(served.get(field));
            }
        }
        try (ConfigurableApplicationContext second = start(KEY)) {
            ApiClient api = client(second);
            assertThat(api.get("/.well-known/optledger/keys", null).json()).isEqualTo(keysBefore);
            JsonNode verification =
                    api.get("/v1/contacts/" + contact + "/events/verify", KEY).json();
            assertThat(verification.get("valid").asBoolean())
                    .as(verification.toString())
                    .isTrue();
            assertThat(verification.at("/checkpoint/keyId").asString())
                    .isEqualTo(keysBefore.at("/keys/0/kid").asString());
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
                        "--optledger.ledger.checkpoints.file=" + dataDir.resolve("checkpoints.jsonl"),
                        "--logging.structured.format.console=");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
