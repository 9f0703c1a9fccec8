package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SignUpUnitsApiTests extends WorkspaceApiTest {

    @Test
    void editingADisclosureMakesANewVersionAndKeepsTheOld() {
        JsonNode unit =
                create("{\"name\": \"Checkout\", \"channel\": \"TEXT\", \"subscriptionType\": \"CHECKOUT_ABANDONED\","
                        + " \"locale\": {\"language\": \"EN\", \"country\": \"us\"}, \"disclosure\": \"v1 terms\"}");
        String id = unit.get("id").asString();
        assertThat(unit.get("topic").asString()).isEqualTo("checkout-abandoned");
        assertThat(unit.get("locale").get("language").asString()).isEqualTo("en");
        assertThat(unit.get("locale").get("country").asString()).isEqualTo("US");
        assertThat(unit.get("singleOptInAllowed").asBoolean()).isFalse();
        assertThat(unit.get("disclosure").get("version").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/topics/checkout-abandoned", workspace.adminKey())
                        .json()
                        .get("kind")
                        .asString())
                .isEqualTo("MARKETING");

        JsonNode renamed = api.patch("/v1/sign-up-units/" + id, workspace.adminKey(), "{\"name\": \"Cart\"}")
                .json();
        assertThat(renamed.get("disclosure").get("version").asInt()).isEqualTo(1);
        JsonNode edited = api.patch("/v1/sign-up-units/" + id, workspace.adminKey(), "{\"disclosure\": \"v2 terms\"}")
                .json();
        assertThat(edited.get("disclosure").get("version").asInt()).isEqualTo(2);
        assertThat(edited.get("name").asString()).isEqualTo("Cart");

        JsonNode versions = api.get("/v1/sign-up-units/" + id + "/disclosures", workspace.adminKey())
                .json()
                .get("disclosures");
        assertThat(versions.findValuesAsString("text")).containsExactly("v1 terms", "v2 terms");
        assertThat(versions.get(0).get("hash").asString())
                .hasSize(64)
                .isNotEqualTo(versions.get(1).get("hash").asString());

        assertThat(api.delete("/v1/sign-up-units/" + id, workspace.adminKey()).status())
                .isEqualTo(204);
        assertProblem(api.get("/v1/sign-up-units/" + id, workspace.adminKey()), 404, "not-found");
        assertThat(api.get("/v1/sign-up-units", workspace.adminKey()).json().get("units"))
                .isEmpty();
    }

    @Test
    void refusesWhatCannotBeAUnit() {
        assertProblem(
                api.post(
                        "/v1/sign-up-units",
                        workspace.adminKey(),
                        "{\"name\": \"x\", \"channel\": \"FAX\","
                                + " \"subscriptionType\": \"MARKETING\", \"locale\": {\"language\": \"en\", \"country\": \"US\"},"
                                + " \"disclosure\": \"d\"}"),
                400,
                "invalid-request");
        assertProblem(
                api.post(
                        "/v1/sign-up-units",
                        workspace.adminKey(),
                        "{\"name\": \"x\", \"channel\": \"TEXT\","
                                + " \"subscriptionType\": \"MARKETING\", \"locale\": {\"language\": \"english\", \"country\": \"US\"},"
                                + " \"disclosure\": \"d\"}"),
                400,
                "invalid-request");
        assertProblem(
                api.post(
                        "/v1/sign-up-units",
                        workspace.adminKey(),
                        "{\"name\": \"x\", \"channel\": \"TEXT\","
                                + " \"subscriptionType\": \"MARKETING\", \"locale\": {\"language\": \"en\", \"country\": \"US\"}}"),
                400,
                "invalid-request");
        String reader = workspace.key("subscriptions:read");
        assertProblem(
                api.post(
                        "/v1/sign-up-units",
                        reader,
                        "{\"name\": \"x\", \"channel\": \"TEXT\", \"subscriptionType\":"
                                + " \"MARKETING\", \"locale\": {\"language\": \"en\", \"country\": \"US\"}, \"disclosure\": \"d\"}"),
                403,
                "forbidden");
    }

    @Test
    void messageTextsCanBeOverriddenPerLocale() {
        ApiClient.Response overridden = api.send(
                "PUT",
                "/v1/messaging/templates/help/fr-CA",
                Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                "{\"text\": \"{brand} : écrivez-nous à aide@example.com.\"}");
        assertThat(overridden.status()).as(overridden.text()).isEqualTo(200);
        JsonNode all =
                api.get("/v1/messaging/templates", workspace.adminKey()).json().get("templates");
        assertThat(all).hasSize(12);
        assertThat(all.toString()).contains("écrivez-nous").contains("For help, contact us.");
        assertProblem(
                api.send(
                        "PUT",
                        "/v1/messaging/templates/help/de-DE",
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                        "{\"text\": \"Hilfe\"}"),
                400,
                "invalid-request");
    }

    private JsonNode create(String json) {
        ApiClient.Response response = api.post("/v1/sign-up-units", workspace.adminKey(), json);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }
}
