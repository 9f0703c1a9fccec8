package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A change naming a new email or phone signs the person up in one call, creating the contact with the change. */
class SignUpApiTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void createsTheContactAnEmailOrPhoneNamesWithTheChange() {
        ApiClient.Response response = changes(
                null,
                signUp("email", "New.Person@Example.com", "EMAIL"),
                signUp("phone", "(415) 555-0142", "SMS"),
                signUp("email", "new.person@example.com", "SMS"));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode results = response.json().get("results");
        assertThat(results.findValuesAsString("outcome")).containsExactly("created", "created", "rejected");
        assertThat(results.at("/2/reason").asString()).isEqualTo("no_address");
        long byEmail = results.get(0).get("contactId").asLong();
        long byPhone = results.get(1).get("contactId").asLong();
        assertThat(byPhone).isNotEqualTo(byEmail);
        // the new contact has the email as its own address: a change by it finds the same contact
        assertThat(results.get(2).get("contactId").asLong()).isEqualTo(byEmail);

        JsonNode found = api.get("/v1/contacts?email=new.person%40example.com", workspace.adminKey())
                .json()
                .at("/contacts/0");
        assertThat(found.get("id").asLong()).isEqualTo(byEmail);
        assertThat(api.get("/v1/contacts?phone=%2B14155550142", workspace.adminKey())
                        .json()
                        .at("/contacts/0/id")
                        .asLong())
                .isEqualTo(byPhone);
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&email=new.person%40example.com")
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        assertThat(workspace.events(byEmail).findValuesAsString("outcome")).containsExactly("CREATED");
        assertThat(workspace.verify(byEmail).get("valid").asBoolean()).isTrue();
    }

    @Test
    void refusesAnUnknownContactWhenAskedNotToCreateOne() {
        ApiClient.Response response = changes(false, signUp("email", "nobody@example.com", "EMAIL"));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().at("/results/0/reason").asString()).isEqualTo("contact_not_found");
        assertThat(api.get("/v1/contacts?email=nobody%40example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
        assertThat(contactsOfWorkspace()).isZero();
    }

    @Test
    void createsNoContactForAnUnknownIdOrExternalId() {
        ApiClient.Response response = changes(
                null,
                Map.of("externalId", "crm-1", "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"),
                Map.of("contactId", 999_999_999, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        assertThat(response.json().get("results").findValuesAsString("reason"))
                .containsExactly("contact_not_found", "contact_not_found");
        assertThat(contactsOfWorkspace()).isZero();
    }

    @Test
    void concurrentSignUpsOfOneNewEmailMakeOneContact() throws Exception {
        int clients = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                String topic = i % 2 == 0 ? "marketing" : "transactional";
                done.add(pool.submit(() -> {
                    start.await();
                    return changes(
                            null,
                            Map.of(
                                    "email",
                                    "race@example.com",
                                    "channel",
                                    "EMAIL",
                                    "topic",
                                    topic,
                                    "action",
                                    "OPT_IN"));
                }));
            }
            start.countDown();
            Set<Long> contactIds = new HashSet<>();
            for (Future<ApiClient.Response> future : done) {
                ApiClient.Response response = future.get();
                assertThat(response.status()).as(response.text()).isEqualTo(200);
                contactIds.add(response.json().at("/results/0/contactId").asLong());
            }
            assertThat(contactIds).hasSize(1);
            // the losers' contacts were dropped with their identifier: only the winner's is left
            assertThat(contactsOfWorkspace()).isEqualTo(1);
            long contact = contactIds.iterator().next();
            assertThat(workspace.events(contact)).hasSize(clients);
            assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        }
    }

    @Test
    void refusesAnInvalidEmailWholeAndCreatesNothing() {
        assertProblem(
                changes(null, signUp("email", "first@example.com", "EMAIL"), signUp("email", "not-an-email@", "EMAIL")),
                400,
                "invalid-request");
        Map<String, Object> badAddress = new HashMap<>(signUp("email", "second@example.com", "EMAIL"));
        badAddress.put("address", "nope@");
        assertProblem(changes(null, badAddress), 400, "invalid-request");
        assertThat(contactsOfWorkspace()).isZero();
    }

    private long contactsOfWorkspace() {
        return jdbc.sql("select count(*) from contacts where workspace_id = :workspace")
                .param("workspace", workspace.id())
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> signUp(String kind, String value, String channel) {
        return Map.of(kind, value, "channel", channel, "topic", "marketing", "action", "OPT_IN");
    }

    @SafeVarargs
    private ApiClient.Response changes(Boolean createContacts, Map<String, Object>... items) {
        Map<String, Object> body = new HashMap<>();
        body.put("items", List.of(items));
        if (createContacts != null) {
            body.put("createContacts", createContacts);
        }
        return api.post("/v1/subscriptions/changes", workspace.adminKey(), ApiClient.json(body));
    }
}
