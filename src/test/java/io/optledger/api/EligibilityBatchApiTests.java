package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EligibilityBatchApiTests extends WorkspaceApiTest {

    @Test
    void answersEachLookupAsTheSingleFormDoes() {
        long subscribed = workspace.contact("in@example.com", "+14155550161");
        long optedOut = workspace.contact("out@example.com", "+14155550162");
        workspace.change(Map.of("contactId", subscribed, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        workspace.change(Map.of("contactId", optedOut, "channel", "EMAIL", "topic", "marketing", "action", "OPT_OUT"));
        api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"SMS\",\"address\":\"+14155550161\",\"reason\":\"COMPLAINT\"}");

        List<String> queries = List.of(
                "channel=EMAIL&topic=marketing&email=in@example.com",
                "channel=EMAIL&topic=marketing&email=out@example.com",
                "channel=EMAIL&topic=marketing&email=never@example.com",
                "channel=SMS&topic=transactional&contactId=" + subscribed,
                "channel=SMS&topic=transactional&phone=%2B14155550162",
                "channel=EMAIL&topic=transactional&contactId=" + optedOut);
        List<Map<String, Object>> lookups = List.of(
                Map.of("channel", "EMAIL", "topic", "marketing", "email", "in@example.com"),
                Map.of("channel", "EMAIL", "topic", "marketing", "email", "out@example.com"),
                Map.of("channel", "EMAIL", "topic", "marketing", "email", "never@example.com"),
                Map.of("channel", "SMS", "topic", "transactional", "contactId", subscribed),
                Map.of("channel", "SMS", "topic", "transactional", "phone", "+14155550162"),
                Map.of("channel", "EMAIL", "topic", "transactional", "contactId", optedOut));

        JsonNode results = batch(lookups).json().get("results");
        assertThat(results).hasSize(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).get("eligibility"))
                    .as(queries.get(i))
                    .isEqualTo(workspace.eligibility(queries.get(i)));
        }
        assertThat(results.findValues("eligible").stream().map(JsonNode::asBoolean))
                .containsExactly(true, false, false, false, true, true);
    }

    @Test
    void answersTheErrorsOfSingleLookupsInTheirPlace() {
        JsonNode results = batch(List.of(
                        Map.of("channel", "EMAIL", "topic", "marketing", "email", "fine@example.com"),
                        Map.of("channel", "EMAIL", "topic", "nope", "email", "fine@example.com"),
                        Map.of("channel", "EMAIL", "topic", "marketing", "email", "not-an-email"),
                        Map.of("channel", "EMAIL", "topic", "marketing"),
                        Map.of("channel", "EMAIL", "topic", "marketing", "contactId", 987654321)))
                .json()
                .get("results");
        assertThat(results.get(0).has("eligibility")).isTrue();
        assertThat(results.get(1).at("/error/status").asInt()).isEqualTo(404);
        assertThat(results.get(2).at("/error/status").asInt()).isEqualTo(400);
        assertThat(results.get(3).at("/error/type").asString()).endsWith("/invalid-request");
        assertThat(results.get(4).at("/error/status").asInt()).isEqualTo(404);
    }

    @Test
    void refusesOversizeAndMalformedBatches() {
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("channel", "EMAIL", "topic", "marketing", "email", "a@example.com"));
        }
        assertProblem(batch(tooMany), 400, "invalid-request");
        assertProblem(batch(List.of()), 400, "invalid-request");
        assertProblem(
                api.post("/v1/eligibility/batch", workspace.adminKey(), "{\"lookups\":[{\"channel\":\"FAX\"}]}"),
                400,
                "invalid-request");
        assertProblem(api.post("/v1/eligibility/batch", workspace.adminKey(), "{\"lookups\":"), 400, "invalid-request");
    }

    private ApiClient.Response batch(List<Map<String, Object>> lookups) {
        return api.post("/v1/eligibility/batch", workspace.adminKey(), ApiClient.json(Map.of("lookups", lookups)));
    }
}
