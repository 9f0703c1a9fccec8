package io.optledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.consent.ledger.LedgerCheckpoints;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A fresh workspace for one test class, with its admin key, created through the API as a user would. */
public record TestWorkspace(long id, String adminKey, ApiClient api) {

    public static TestWorkspace create(ApiClient api) {
        return create(api, "US");
    }

    public static TestWorkspace create(ApiClient api, String region) {
        ApiClient.Response created = api.post(
                "/v1/workspaces",
                ApiTest.SYSTEM_KEY,
                ApiClient.json(Map.of("name", "test-" + UUID.randomUUID(), "defaultRegion", region)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode body = created.json();
        return new TestWorkspace(
                body.get("id").asLong(), body.get("adminKey").get("key").asString(), api);
    }

    /** Issues a key of this workspace with the given scopes and answers its secret. */
    public String key(String... scopes) {
        ApiClient.Response response = api.post(
                "/v1/api-keys",
                adminKey,
                ApiClient.json(Map.of("name", "test key", "scopes", java.util.List.of(scopes))));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("key").asString();
    }

    /** Creates a contact and answers its id. */
    public long contact(String email, String phone) {
        ApiClient.Response response =
                api.post("/v1/contacts", adminKey, ApiClient.json(Map.of("email", email, "phone", phone)));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.json().get("id").asLong();
    }

    /** Posts one change item and answers the whole response. */
    public ApiClient.Response change(Map<String, Object> item) {
        return api.post(
                "/v1/subscriptions/changes", adminKey, ApiClient.json(Map.of("items", java.util.List.of(item))));
    }

    public JsonNode events(long contactId) {
        ApiClient.Response response = api.get("/v1/contacts/" + contactId + "/events?limit=1000", adminKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("events");
    }

    public JsonNode verify(long contactId) {
        ApiClient.Response response = api.get("/v1/contacts/" + contactId + "/events/verify", adminKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /**
     * Runs checkpoint rounds until one covers the contact (a round the background loop runs at the same moment makes
     * this one skip the workspace); answers the contact's anchor, as verify shows it.
     */
    public JsonNode checkpointed(LedgerCheckpoints checkpoints, long contactId) {
        return Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
            checkpoints.checkpointOnce();
            JsonNode anchor = verify(contactId).get("checkpoint");
            return anchor.isNull() ? null : anchor;
        });
    }

    public JsonNode eligibility(String query) {
        ApiClient.Response response = api.get("/v1/eligibility?" + query, adminKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }
}
