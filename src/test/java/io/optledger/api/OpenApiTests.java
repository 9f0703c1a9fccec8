package io.optledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document says what a client must send and may get back, and nothing a client must not send. */
@ApiTest
class OpenApiTests {

    private static final String PUBLIC = "public";

    /**
     * Each API's path prefix and the security scheme its operations declare (empty: the document's, bearer;
     * {@link #PUBLIC}: none).
     */
    private static final Map<String, String> SCHEMES = Map.of(
            "/v1/", "",
            "/.well-known/", PUBLIC,
            "/capillary/", "capillaryBasic",
            "/altcraft/", "altcraftToken",
            "/attentive/", "attentiveBearer");

    @LocalServerPort
    int port;

    ApiClient api;
    JsonNode document;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        ApiClient.Response response = api.get("/v3/api-docs", null);
        assertThat(response.status()).isEqualTo(200);
        document = response.json();
    }

    @Test
    void noOperationAsksForACallerOrAParameterTheCredentialsCarry() {
        List<String> parameters = new ArrayList<>();
        operations()
                .forEach(operation -> operation
                        .node()
                        .path("parameters")
                        .forEach(parameter -> parameters.add(
                                operation.path() + " " + parameter.get("in").asString() + " "
                                        + parameter.get("name").asString())));
        assertThat(parameters).isNotEmpty().noneMatch(p -> p.endsWith(" caller"));
        assertThat(parameters).noneMatch(p -> p.startsWith("/altcraft/") && p.endsWith(" token"));
        assertThat(document.toString()).doesNotContain("\"caller\"");
    }

    @Test
    void eachApiDeclaresItsOwnSecurityScheme() {
        JsonNode schemes = document.at("/components/securitySchemes");
        assertThat(schemes.at("/bearer/type").asString()).isEqualTo("http");
        assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.at("/capillaryBasic/type").asString()).isEqualTo("http");
        assertThat(schemes.at("/capillaryBasic/scheme").asString()).isEqualTo("basic");
        assertThat(schemes.at("/altcraftToken/type").asString()).isEqualTo("apiKey");
        assertThat(schemes.at("/altcraftToken/in").asString()).isEqualTo("query");
        assertThat(schemes.at("/altcraftToken/name").asString()).isEqualTo("token");
        assertThat(schemes.at("/altcraftToken/description").asString()).contains("body");
        assertThat(schemes.at("/attentiveBearer/scheme").asString()).isEqualTo("bearer");
        assertThat(document.at("/security/0").propertyNames()).containsExactly("bearer");

        List<Operation> operations = operations();
        assertThat(operations.stream().map(Operation::api).distinct())
                .containsExactlyInAnyOrderElementsOf(SCHEMES.keySet());
        for (Operation operation : operations) {
            String scheme = SCHEMES.get(operation.api());
            JsonNode security = operation.node().path("security");
            if (scheme.equals(PUBLIC)) {
                assertThat(security.isArray() && security.isEmpty())
                        .as(operation.path() + " declares no security")
                        .isTrue();
            } else if (scheme.isEmpty()) {
                assertThat(security.isMissingNode()).as(operation.path()).isTrue();
            } else {
                assertThat(security.get(0).propertyNames()).as(operation.path()).containsExactly(scheme);
            }
        }
    }

    @Test
    void everyOperationListsTheAnswersItMayGiveBeforeItsHandlerRuns() {
        for (Operation operation : operations()) {
            JsonNode responses = operation.node().get("responses");
            List<String> expected = new ArrayList<>(List.of("406", "503"));
            if (operation.node().has("requestBody")) {
                expected.addAll(List.of("413", "415"));
            }
            assertThat(responses.propertyNames()).as(operation.path()).containsAll(expected);
            assertThat(responses.propertyNames())
                    .as(operation.path() + ": answers 429 exactly where rate limited")
                    .matches(codes -> codes.contains("429") == operation.api().equals("/attentive/"));
            assertThat(responses.propertyNames())
                    .as(operation.path() + ": a success is listed too")
                    .anyMatch(code -> code.startsWith("2"));
            for (String status : expected) {
                JsonNode content = responses.get(status).path("content");
                if (operation.isNative()) {
                    assertThat(content.at("/application~1problem+json/schema/$ref")
                                    .asString())
                            .as(operation.path() + " " + status)
                            .isEqualTo("#/components/schemas/Problem");
                } else {
                    // a dialect answers in its vendor's error shape, not in problems
                    assertThat(content.isMissingNode()).as(operation.path()).isTrue();
                }
            }
        }
        assertThat(document.at("/components/schemas/Problem/properties").propertyNames())
                .contains("type", "title", "status", "detail");
    }

    @Test
    void eachApiHasAGroupOfItsOwn() {
        for (String group : List.of("native", "capillary", "altcraft", "attentive")) {
            JsonNode paths = api.get("/v3/api-docs/" + group, null).json().get("paths");
            List<String> prefixes =
                    group.equals("native") ? List.of("/v1/", "/.well-known/") : List.of("/" + group + "/");
            assertThat(paths.propertyNames())
                    .as(group)
                    .isNotEmpty()
                    .allMatch(path -> prefixes.stream().anyMatch(path::startsWith));
        }
        JsonNode swaggerUi = api.get("/v3/api-docs/swagger-config", null).json();
        assertThat(swaggerUi.get("urls.primaryName").asString())
                .as("the UI opens on the native API")
                .isEqualTo("Native API");
        assertThat(swaggerUi.get("urls").findValuesAsString("url"))
                .containsExactlyInAnyOrder(
                        "/v3/api-docs/native",
                        "/v3/api-docs/capillary",
                        "/v3/api-docs/altcraft",
                        "/v3/api-docs/attentive");
        io.optledger.support.Problems.assertProblem(api.get("/v3/api-docs/nonesuch", null), 404, "not-found");
    }

    @Test
    void everyOperationRefusesACallerWithoutTheDeclaredCredentialsAndTakesThem() {
        for (Operation operation : operations()) {
            String[] methodAndPath = operation.path().split(" ", 2);
            String path = methodAndPath[1].replaceAll("\\{[^}]+}", "1");
            boolean body = operation.node().has("requestBody");
            ApiClient.Response response = api.send(
                    methodAndPath[0],
                    path,
                    body ? Map.of("Content-Type", "application/json") : Map.of(),
                    body ? "{}" : null);
            assertThat(response.status())
                    .as(operation.path() + " without credentials")
                    .isEqualTo(operation.api().equals("/.well-known/") ? 200 : 401);
        }
        TestWorkspace workspace = TestWorkspace.create(api);
        String key = workspace.adminKey();
        String basic = java.util.Base64.getEncoder()
                .encodeToString(("key:" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(api.send(
                                "GET",
                                "/capillary/v1.1/customer/subscriptions?email=nobody@example.com",
                                Map.of("Authorization", "Basic " + basic),
                                null)
                        .status())
                .as("capillaryBasic")
                .isNotEqualTo(401);
        assertThat(api.send(
                                "POST",
                                "/altcraft/api/v1.1/subscriptions/get?token=" + key,
                                Map.of("Content-Type", "application/json"),
                                "{}")
                        .status())
                .as("altcraftToken in the query")
                .isNotEqualTo(401);
        assertThat(api.send(
                                "GET",
                                "/attentive/v1/subscriptions?email=nobody@example.com",
                                Map.of("Authorization", "Bearer " + key),
                                null)
                        .status())
                .as("attentiveBearer")
                .isNotEqualTo(401);
    }

    private record Operation(String api, String path, JsonNode node) {

        boolean isNative() {
            return api.equals("/v1/") || api.equals("/.well-known/");
        }
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(method -> operations.add(new Operation(
                                SCHEMES.keySet().stream()
                                        .filter(path.getKey()::startsWith)
                                        .findFirst()
                                        .orElseThrow(() -> new AssertionError("a path of no API: " + path.getKey())),
                                method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                                method.getValue()))));
        return operations;
    }
}
