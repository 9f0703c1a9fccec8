package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The documented field limits (docs/operations.md#input-what-is-refused-and-where), at and one past each edge, and what an answer denies. */
class InputLimitsTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void createTopic() {
        ApiClient.Response topic = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(Map.of("key", "news", "name", "News", "kind", "MARKETING")));
        assertThat(topic.status()).as(topic.text()).isEqualTo(201);
        workspace.contact("ada@example.com", "+14155552671");
    }

    @Test
    void sourceAndReasonHoldUpTo256Characters() {
        assertThat(change(Map.of("source", "s".repeat(256), "reason", "r".repeat(256)))
                        .status())
                .isEqualTo(200);

        assertProblem(change(Map.of("source", "s".repeat(257))), 400, "invalid-request");
        assertProblem(change(Map.of("reason", "r".repeat(257))), 400, "invalid-request");
        assertThat(events()).isEqualTo(1);
    }

    @Test
    void attributesHoldAHundredNamesOf64CharactersAndTextsOf1024() {
        Map<String, Object> hundred = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            hundred.put("a".repeat(60) + String.format("%04d", i), "x".repeat(1024));
        }
        assertThat(register(hundred).status()).isIn(200, 201);

        Map<String, Object> tooMany = new HashMap<>(hundred);
        tooMany.put("one-more", 1);
        assertProblem(register(tooMany), 400, "invalid-request");
        assertProblem(register(Map.of("n".repeat(65), 1)), 400, "invalid-request");
        assertProblem(register(Map.of("text", "x".repeat(1025))), 400, "invalid-request");
        assertProblem(
                register(Map.of("deep", Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1)))))),
                400,
                "invalid-request");
    }

    @Test
    void aNulOrAnUnpairedSurrogateIsA400NamingTheFieldAndWritesNothing() {
        String body = """
                {"items":[{"email":"ada@example.com","channel":"EMAIL","topic":"news","action":"OPT_IN",\
                "source":"a\\u0000b"}]}""";
        ApiClient.Response nul = api.post("/v1/subscriptions/changes", workspace.adminKey(), body);
        assertProblem(nul, 400, "invalid-request");
        assertThat(nul.json().at("/errors/0/field").asString()).isEqualTo("items[0].source");

        ApiClient.Response surrogate = api.post(
                "/v1/contacts",
                workspace.adminKey(),
                "{\"email\":\"ada@example.com\",\"attributes\":{\"k\":\"\\ud800\"}}");
        assertProblem(surrogate, 400, "invalid-request");
        assertThat(surrogate.json().at("/errors/0/field").asString()).isEqualTo("attributes.k");
        assertThat(events()).isZero();
    }

    @Test
    void aWriteTheCallerCannotReadTheAnswerToIsA406AndNotCommitted() {
        for (String accept : List.of("text/html", "image/png", "application/xml", "foo")) {
            ApiClient.Response response = api.post(
                    "/v1/subscriptions/changes",
                    workspace.adminKey(),
                    ApiClient.json(Map.of(
                            "items",
                            List.of(Map.of(
                                    "email",
                                    "ada@example.com",
                                    "channel",
                                    "EMAIL",
                                    "topic",
                                    "news",
                                    "action",
                                    "OPT_IN")))),
                    Map.of("Accept", accept));
            assertProblem(response, 406, "not-acceptable");
        }
        assertThat(events()).isZero();
    }

    @Test
    void wildcardMalformedOrUnknownContentTypesAre415() {
        for (String type : List.of("*/*", "application/*", "text/*", "application/json; charset=nope", "json")) {
            ApiClient.Response response = api.send(
                    "POST",
                    "/v1/contacts",
                    Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", type),
                    "{\"email\":\"ada@example.com\"}");
            assertProblem(response, 415, "unsupported-media-type");
        }
    }

    private ApiClient.Response change(Map<String, String> provenance) {
        Map<String, Object> item = new HashMap<>(
                Map.of("email", "ada@example.com", "channel", "EMAIL", "topic", "news", "action", "OPT_IN"));
        item.putAll(provenance);
        return workspace.change(item);
    }

    private ApiClient.Response register(Map<String, Object> attributes) {
        return api.post(
                "/v1/contacts",
                workspace.adminKey(),
                ApiClient.json(Map.of("email", "ada@example.com", "attributes", attributes)));
    }

    private long events() {
        return jdbc.sql("select count(*) from consent_events where workspace_id = :workspace")
                .param("workspace", workspace.id())
                .query(Long.class)
                .single();
    }
}
