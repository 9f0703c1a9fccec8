package io.optledger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.fuzz.Mutations.Case;
import io.optledger.fuzz.Targets.Target;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Golden;
import io.optledger.support.TestWorkspace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends malformed requests to every endpoint of the native API (from its OpenAPI document) and of each dialect, from a
 * fixed seed for a bounded time, and holds each answer to the same three rules: never a 5xx, a 4xx in the caller's own
 * error shape, and nothing written to the ledger by a 4xx. Failures found once are kept in {@code fuzz/corpus.jsonl}
 * and replayed by {@link #pastFailuresStayFixed}.
 */
@ApiTest
class FuzzTests {

    private static final long SEED = Long.getLong("fuzz.seed", 11L);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 40L));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private TestWorkspace workspace;
    private Map<String, String> bindings;

    @BeforeEach
    void setUp() {
        ApiClient api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
        String admin = workspace.adminKey();
        ok(api.post("/v1/topics", admin, ApiClient.json(Map.of("key", "news", "name", "News", "kind", "MARKETING"))));
        long contact = workspace.contact(Targets.EMAIL, "+14155552671");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/json");
        ok(api.send("PUT", "/v1/altcraft/databases/1", auth, ApiClient.json(Map.of("name", "db 1"))));
        ok(api.send(
                "PUT",
                "/v1/altcraft/resources/1",
                auth,
                ApiClient.json(Map.of(
                        "name",
                        "resource 1",
                        "topic",
                        "news",
                        "channels",
                        List.of("email"),
                        "categories",
                        List.of()))));
        String keyId = api.get("/v1/api-keys", admin)
                .json()
                .get("keys")
                .get(0)
                .get("id")
                .asString();
        bindings = Map.of(
                "{{bearer}}",
                admin,
                "{{system}}",
                ApiTest.SYSTEM_KEY,
                "{{contact}}",
                Long.toString(contact),
                "{{basic}}",
                Base64.getEncoder().encodeToString((keyId + ":" + admin).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedRequestsAreRefusedInTheCallersShapeAndWriteNothing() {
        JsonNode document = JSON.readTree(
                new ApiClient(port).get("/v3/api-docs/native", null).text());
        List<Target> targets = new ArrayList<>(Targets.nativeApi(document));
        int nativeTargets = targets.size();
        targets.addAll(Targets.dialects());
        assertThat(nativeTargets).as("operations in /v3/api-docs/native").isGreaterThan(20);

        Random random = new Random(SEED);
        Mutations mutations = new Mutations(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int sent = 0;
        while (System.nanoTime() < deadline) {
            Case fuzzCase = mutations.next(targets.get(random.nextInt(targets.size())));
            RawHttp.Response response = judge(fuzzCase, failures);
            statuses.merge(response.status(), 1, Integer::sum);
            sent++;
        }
        System.out.printf(
                "Fuzzed %d requests over %d native operations and %d dialect endpoints (seed %d): statuses %s,"
                        + " %d failing kinds%n",
                sent, nativeTargets, targets.size() - nativeTargets, SEED, statuses, failures.size());
        failures.forEach((kind, example) -> System.out.println("FAILURE " + kind + "\n  corpus: " + example));
        assertThat(failures).as("failing kinds, each with a corpus line").isEmpty();
        assertThat(sent).isGreaterThan(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void pastFailuresStayFixed(String name, JsonNode line) {
        Map<String, String> headers = new LinkedHashMap<>();
        line.path("headers")
                .properties()
                .forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        byte[] body = line.has("bodyBase64")
                ? Base64.getDecoder().decode(line.get("bodyBase64").asString())
                : line.path("body").asString("").getBytes(StandardCharsets.UTF_8);
        Map<String, String> failures = new LinkedHashMap<>();
        judge(
                new Case(
                        name,
                        new RawHttp.Request(
                                line.get("method").asString(),
                                line.get("target").asString(),
                                headers,
                                body)),
                failures);
        assertThat(failures).isEmpty();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> corpus() {
        return Golden.text("fuzz/corpus.jsonl")
                .lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(JSON::readTree)
                .map(line -> org.junit.jupiter.params.provider.Arguments.of(
                        line.get("name").asString(), line));
    }

    /** Sends one case and records what is wrong with its answer, by kind (method, path, status, what was broken). */
    private RawHttp.Response judge(Case fuzzCase, Map<String, String> failures) {
        RawHttp.Request request = bind(fuzzCase.request());
        long before = events();
        RawHttp.Response response = RawHttp.send(port, request);
        long after = events();
        String problem = null;
        if (Shapes.isCapillaryAllFailed(fuzzCase.request().target(), response)) {
            // Capillary's documented answer when every item is refused: its errors[] with HTTP 500, nothing applied
            problem = after != before ? "an all-failed Capillary answer wrote " + (after - before) + " events" : null;
        } else if (response.status() >= 500) {
            problem = response.status() + " " + abbreviate(response.text());
        } else if (response.status() >= 400) {
            if (after != before) {
                problem = "a " + response.status() + " wrote " + (after - before) + " ledger events";
            } else {
                problem = Shapes.mismatch(fuzzCase.request().target(), response);
            }
        }
        if (problem != null) {
            // a generated case is named "METHOD /path: what was broken"; its kind is where and what answered
            int colon = fuzzCase.name().indexOf(':');
            String where = colon < 0 ? fuzzCase.name() : fuzzCase.name().substring(0, colon);
            String kind = where + " " + response.status() + " "
                    + problem.lines().findFirst().orElse("");
            failures.putIfAbsent(abbreviate(kind), corpusLine(fuzzCase) + "\n  case: " + fuzzCase.name());
        }
        return response;
    }

    private RawHttp.Request bind(RawHttp.Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> headers.put(name, bind(value)));
        String body = bind(new String(request.body(), StandardCharsets.ISO_8859_1));
        return new RawHttp.Request(
                request.method(), bind(request.target()), headers, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String bind(String text) {
        for (var binding : bindings.entrySet()) {
            text = text.replace(binding.getKey(), binding.getValue());
        }
        return text;
    }

    private long events() {
        return jdbc.sql("select count(*) from consent_events where workspace_id = :workspace")
                .param("workspace", workspace.id())
                .query(Long.class)
                .single();
    }

    private static String corpusLine(Case fuzzCase) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("name", fuzzCase.name());
        line.put("method", fuzzCase.request().method());
        line.put("target", fuzzCase.request().target());
        line.put("headers", fuzzCase.request().headers());
        byte[] body = fuzzCase.request().body();
        String text = new String(body, StandardCharsets.UTF_8);
        if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), body)) {
            line.put("body", text);
        } else {
            line.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
        return JSON.writeValueAsString(line);
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static void ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
    }
}
