package io.optledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Issue 13, finding 5: concurrent changes of a topic or a sign-up unit all take effect; none is lost or a 500. */
class ConcurrentUpdatesTests extends WorkspaceApiTest {

    private static final int ROUNDS = 20;

    @Test
    void concurrentTopicChangesOfDifferentFieldsAllLand() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "t" + round;
                ApiClient.Response created = api.post(
                        "/v1/topics",
                        workspace.adminKey(),
                        ApiClient.json(Map.of("key", key, "name", key, "kind", "MARKETING")));
                assertThat(created.status()).as(created.text()).isEqualTo(201);

                List<Map<String, Object>> patches =
                        List.of(Map.of("defaultOptIn", true), Map.of("doubleOptIn", List.of("SMS")));
                for (ApiClient.Response answer : together(
                        pool,
                        patches.stream()
                                .map(patch -> (java.util.concurrent.Callable<ApiClient.Response>) () ->
                                        api.patch("/v1/topics/" + key, workspace.adminKey(), ApiClient.json(patch)))
                                .toList())) {
                    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                }

                JsonNode topic =
                        api.get("/v1/topics/" + key, workspace.adminKey()).json();
                assertThat(topic.get("defaultOptIn").asBoolean())
                        .as("round %d", round)
                        .isTrue();
                assertThat(topic.get("doubleOptIn").toString())
                        .as("round %d", round)
                        .contains("SMS");
            }
        }
    }

    @Test
    void concurrentDisclosureEditsEachMakeTheirOwnVersion() throws Exception {
        ApiClient.Response unit = api.post(
                "/v1/sign-up-units",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "name", "unit",
                        "channel", "TEXT",
                        "subscriptionType", "MARKETING",
                        "locale", Map.of("language", "en", "country", "US"),
                        "disclosure", "version 1")));
        assertThat(unit.status()).as(unit.text()).isEqualTo(201);
        String id = unit.json().get("id").asString();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int round = 0; round < 5; round++) {
                List<java.util.concurrent.Callable<ApiClient.Response>> edits = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String text = "round " + round + " edit " + i;
                    edits.add(() -> api.patch(
                            "/v1/sign-up-units/" + id,
                            workspace.adminKey(),
                            ApiClient.json(Map.of("disclosure", text))));
                }
                for (ApiClient.Response answer : together(pool, edits)) {
                    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                }
            }
        }
        JsonNode versions = api.get("/v1/sign-up-units/" + id + "/disclosures", workspace.adminKey())
                .json();
        assertThat(versions.findValuesAsString("text")).hasSize(21);
    }

    /** Runs the calls at the same moment and answers their responses. */
    private static List<ApiClient.Response> together(
            ExecutorService pool, List<java.util.concurrent.Callable<ApiClient.Response>> calls) throws Exception {
        CyclicBarrier start = new CyclicBarrier(calls.size());
        List<Future<ApiClient.Response>> futures = new ArrayList<>();
        for (var call : calls) {
            futures.add(pool.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        List<ApiClient.Response> answers = new ArrayList<>();
        for (Future<ApiClient.Response> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }
}
