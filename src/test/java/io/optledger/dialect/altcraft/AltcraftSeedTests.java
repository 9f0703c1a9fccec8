package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.access.ApiKeys;
import io.optledger.access.IssuedApiKey;
import io.optledger.access.Scope;
import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The seed's own subscriptions/set example, byte for byte, in JSON and in XML, with the token and ids it names. */
class AltcraftSeedTests extends WorkspaceApiTest {

    private static final String SEED_TOKEN = "abcdefghijklmnqrstuvwxyz";
    private static final String SEED_PROFILE = "abcdefghijklmnqrstuvwxyz";

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    JdbcClient jdbc;

    @Test
    void seedRequestsInJsonAndXmlAnswerTheSeedResponses() {
        IssuedApiKey seedKey = apiKeys.issue(workspace.id(), "seed", Set.of(Scope.SUBSCRIPTIONS_WRITE), SEED_TOKEN);
        try {
            AltcraftClient altcraft = AltcraftClient.of(workspace);
            altcraft.database(1);
            altcraft.resource(1, "newsletter", List.of("email"), List.of());
            altcraft.resource(29, "offers", List.of("email", "sms"), List.of());
            // a profile brought over from Altcraft keeps its id as an identifier
            ApiClient.Response profile = api.post(
                    "/v1/contacts",
                    workspace.adminKey(),
                    ApiClient.json(Map.of(
                            "email", "example@example.com",
                            "identifiers", Map.of("altcraftProfileId", SEED_PROFILE),
                            "attributes", Map.of("altcraftDbId", "1"))));
            assertThat(profile.status()).as(profile.text()).isEqualTo(201);
            long contact = profile.json().get("id").asLong();

            ApiClient.Response json = api.send(
                    "POST",
                    AltcraftClient.BASE + "subscriptions/set",
                    Map.of("Content-Type", "application/json"),
                    Golden.text("dialect/altcraft/set-seed.request.json"));
            assertThat(json.status()).as(json.text()).isEqualTo(200);
            assertThat(json.header("Content-Type")).startsWith("application/json");
            Golden.assertBody(json, "dialect/altcraft/set-seed.response.json", Map.of());

            ApiClient.Response xml = api.send(
                    "POST",
                    AltcraftClient.BASE + "subscriptions/set",
                    Map.of("Content-Type", "application/xml"),
                    Golden.text("dialect/altcraft/set-seed.request.xml"));
            assertThat(xml.status()).as(xml.text()).isEqualTo(200);
            assertThat(xml.header("Content-Type")).startsWith("application/xml");
            assertThat(AltcraftClient.xmlTree(xml.text()).toString())
                    .isEqualTo(AltcraftClient.xmlTree(Golden.text("dialect/altcraft/set-seed.response.xml"))
                            .toString());

            // suspended as asked: subscribed first, then paused, both on the ledger, the priority kept
            JsonNode events = workspace.events(contact);
            assertThat(events.findValuesAsString("action")).containsExactly("OPT_IN", "SUSPEND", "OPT_IN", "SUSPEND");
            assertThat(events.findValuesAsString("topic"))
                    .containsExactly("newsletter", "newsletter", "offers", "offers");
            JsonNode state = api.get("/v1/contacts/" + contact + "/subscriptions", workspace.adminKey())
                    .json()
                    .get("subscriptions");
            assertThat(state.findValuesAsString("status")).containsOnly("SUSPENDED");
            assertThat(state.get(0).get("properties").get("priority").asInt()).isEqualTo(10);
        } finally {
            apiKeys.revoke(workspace.id(), seedKey.key().id());
            jdbc.sql("delete from api_keys where id = :id")
                    .param("id", seedKey.key().id())
                    .update();
        }
    }
}
