package io.optledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.databind.JsonNode;

/** The README's curl session, end to end: also run against an external PostgreSQL by {@code .ci/run}. */
@ApiTest
class ApiSmokeTests {

    @LocalServerPort
    int port;

    @Autowired
    RequestMappingHandlerAdapter mvc;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @Test
    void bootstrapKeyManagesAContactsConsentFromSignUpToVerifiedLedger() {
        TestWorkspace workspace = TestWorkspace.create(api);
        String key = workspace.adminKey();

        JsonNode topics = api.get("/v1/topics", key).json().get("topics");
        assertThat(topics.findValuesAsString("key")).containsExactly("marketing", "transactional");

        ApiClient.Response contact = api.post(
                "/v1/contacts", key, ApiClient.json(Map.of("email", "Ada@Example.com", "phone", "+44 20 7946 0958")));
        assertThat(contact.status()).isEqualTo(201);
        assertThat(contact.header("Location"))
                .endsWith("/v1/contacts/" + contact.json().get("id").asLong());
        assertThat(contact.json().get("email").asString()).isEqualTo("ada@example.com");
        assertThat(contact.json().get("phone").asString()).isEqualTo("+442079460958");
        long id = contact.json().get("id").asLong();

        ApiClient.Response optIn = workspace.change(Map.of(
                "contactId",
                id,
                "channel",
                "EMAIL",
                "topic",
                "marketing",
                "action",
                "OPT_IN",
                "source",
                "signup-form"));
        assertThat(optIn.status()).isEqualTo(200);
        assertThat(optIn.json().at("/results/0/outcome").asString()).isEqualTo("created");
        assertThat(optIn.json().at("/results/0/subscription/address").asString())
                .isEqualTo("ada@example.com");

        JsonNode eligible = workspace.eligibility("channel=EMAIL&topic=marketing&email=ada@example.com");
        assertThat(eligible.get("eligible").asBoolean()).isTrue();
        assertThat(eligible.at("/reasons/0/code").asString()).isEqualTo("subscribed");

        ApiClient.Response optOut = workspace.change(
                Map.of("email", "ada@example.com", "channel", "EMAIL", "topic", "marketing", "action", "OPT_OUT"));
        assertThat(optOut.json().at("/results/0/outcome").asString()).isEqualTo("changed");
        assertThat(optOut.json().at("/results/0/previousStatus").asString()).isEqualTo("SUBSCRIBED");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&contactId=" + id)
                        .get("eligible")
                        .asBoolean())
                .isFalse();

        JsonNode events = workspace.events(id);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("prevHash").asString()).isEqualTo("0".repeat(64));
        assertThat(events.get(1).get("prevHash").asString())
                .isEqualTo(events.get(0).get("hash").asString());
        assertThat(events.get(0).get("source").asString()).isEqualTo("signup-form");
        assertThat(events.get(1).get("to").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(events.get(1).get("apiKeyId").asString()).startsWith("key_");
        assertThat(events.get(1).get("requestId").asString()).isNotBlank();

        JsonNode verification = workspace.verify(id);
        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("eventsChecked").asLong()).isEqualTo(2);

        JsonNode subscriptions =
                api.get("/v1/contacts/" + id + "/subscriptions", key).json();
        assertThat(subscriptions.get("subscriptions").findValuesAsString("status"))
                .isEqualTo(List.of("UNSUBSCRIBED"));
    }

    @Test
    void servesProbesAndTheOpenApiDocument() {
        assertThat(api.get("/livez", null).json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/readyz", null).json().get("status").asString()).isEqualTo("UP");
        JsonNode openApi = api.get("/v3/api-docs", null).json();
        assertThat(openApi.get("paths").propertyNames())
                .contains(
                        "/v1/subscriptions/changes",
                        "/v1/eligibility",
                        "/v1/contacts/{id}/events/verify",
                        "/v1/api-keys",
                        "/v1/workspaces",
                        "/v1/altcraft/databases/{dbId}",
                        "/v1/altcraft/resources/{resourceId}");
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    void springsOwnErrorsAreProblemsWithATypeToo() {
        TestWorkspace workspace = TestWorkspace.create(api);
        io.optledger.support.Problems.assertProblem(
                api.delete("/v1/topics", workspace.adminKey()), 405, "method-not-allowed");
        io.optledger.support.Problems.assertProblem(
                api.send(
                        "POST",
                        "/v1/topics",
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "text/plain"),
                        "x"),
                415,
                "unsupported-media-type");
    }

    @Test
    void answersJsonEvenToAClientThatPrefersXml() {
        assertAnswersJsonTo("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    }

    @Test
    void writesJsonWithOneJacksonConverterAndNoXmlOrYaml() {
        // every answer asks each converter whether it can write the value; the OpenAPI libraries' Jackson 2 YAML module
        // on the classpath must not add a YAML converter to that list, nor the dialects' XML module an XML one
        List<String> converters = mvc.getMessageConverters().stream()
                .map(HttpMessageConverter::getClass)
                .map(Class::getName)
                .toList();
        assertThat(converters).contains(JacksonJsonHttpMessageConverter.class.getName());
        assertThat(converters).noneMatch(name -> name.contains("Jackson2")).noneMatch(name -> name.contains("Xml"));
    }

    @Test
    void answersJsonToAClientThatPrefersYaml() {
        assertAnswersJsonTo("application/yaml, application/json;q=0.5");
    }

    @Test
    void refusesAYamlBody() {
        TestWorkspace workspace = TestWorkspace.create(api);
        ApiClient.Response response = api.send(
                "POST",
                "/v1/topics",
                Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/yaml"),
                "key: yaml-topic\nname: Yaml\nkind: MARKETING\n");
        assertThat(response.status()).isEqualTo(415);
        assertThat(api.get("/v1/topics", workspace.adminKey())
                        .json()
                        .get("topics")
                        .findValuesAsString("key"))
                .doesNotContain("yaml-topic");
    }

    private void assertAnswersJsonTo(String accept) {
        TestWorkspace workspace = TestWorkspace.create(api);
        ApiClient.Response response = api.send(
                "GET", "/v1/topics", Map.of("Authorization", "Bearer " + workspace.adminKey(), "Accept", accept), null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
    }
}
