package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ContactsApiTests extends WorkspaceApiTest {

    @Override
    protected String region() {
        return "GB";
    }

    @Test
    void createsThenReturnsTheContactItsIdentifiersName() {
        ApiClient.Response created = register(Map.of(
                "email",
                "  Grace@Example.COM",
                "externalId",
                "crm-1",
                "identifiers",
                Map.of("shopifyId", "S-77"),
                "attributes",
                Map.of("first", "Grace")));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(id).isPositive();

        ApiClient.Response again = register(
                Map.of("email", "grace@example.com", "phone", "020 7946 0000", "attributes", Map.of("tier", "gold")));
        assertThat(again.status()).isEqualTo(200);
        JsonNode contact = again.json();
        assertThat(contact.get("id").asLong()).isEqualTo(id);
        assertThat(contact.get("phone").asString()).isEqualTo("+442079460000");
        assertThat(contact.at("/identifiers/shopifyId").asString()).isEqualTo("S-77");
        assertThat(contact.at("/attributes/first").asString()).isEqualTo("Grace");
        assertThat(contact.at("/attributes/tier").asString()).isEqualTo("gold");
    }

    @Test
    void findsAContactByAnyIdentifier() {
        long id = register(Map.of(
                        "email", "linus@example.com",
                        "phone", "+442079461111",
                        "externalId", "ext-9",
                        "identifiers", Map.of("clientUserId", "u-9")))
                .json()
                .get("id")
                .asLong();
        for (String query : new String[] {
            "email=LINUS@example.com",
            "phone=02079461111",
            "externalId=ext-9",
            "identifierName=clientUserId&identifierValue=u-9"
        }) {
            JsonNode found =
                    api.get("/v1/contacts?" + query, workspace.adminKey()).json();
            assertThat(found.get("contacts")).as(query).hasSize(1);
            assertThat(found.at("/contacts/0/id").asLong()).as(query).isEqualTo(id);
        }
        assertThat(api.get("/v1/contacts/" + id, workspace.adminKey())
                        .json()
                        .get("email")
                        .asString())
                .isEqualTo("linus@example.com");
        assertThat(api.get("/v1/contacts?email=nobody@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
        assertProblem(api.get("/v1/contacts/987654321", workspace.adminKey()), 404, "not-found");
        assertProblem(api.get("/v1/contacts", workspace.adminKey()), 400, "invalid-request");
    }

    @Test
    void identifiersNamingTwoContactsAreAConflict() {
        register(Map.of("email", "one@example.com"));
        register(Map.of("phone", "+442079462222"));
        assertProblem(register(Map.of("email", "one@example.com", "phone", "+442079462222")), 409, "conflict");
        assertThat(register(Map.of("email", "one@example.com", "externalId", "x"))
                        .status())
                .isEqualTo(200);
        // a second email for the contact that externalId x names
        assertProblem(register(Map.of("externalId", "x", "email", "other@example.com")), 409, "conflict");
        assertThat(api.get("/v1/contacts?email=other@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
    }

    @Test
    void refusesInvalidIdentifiersAndWritesNothing() {
        assertProblem(register(Map.of("email", "not-an-email")), 400, "invalid-request");
        assertProblem(register(Map.of("email", "ok@example.com", "phone", "12")), 400, "invalid-request");
        assertProblem(register(Map.of("identifiers", Map.of("bad name", "v"))), 400, "invalid-request");
        assertProblem(register(Map.of("identifiers", Map.of("email", "a@example.com"))), 400, "invalid-request");
        assertProblem(register(Map.of()), 400, "invalid-request");
        assertProblem(api.post("/v1/contacts", workspace.adminKey(), "{\"email\": 12, "), 400, "invalid-request");
        assertProblem(
                api.post("/v1/contacts", workspace.adminKey(), "{\"emial\": \"a@example.com\"}"),
                400,
                "invalid-request");
        assertThat(api.get("/v1/contacts?email=ok@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
    }

    private ApiClient.Response register(Map<String, Object> body) {
        return api.post("/v1/contacts", workspace.adminKey(), ApiClient.json(body));
    }
}
