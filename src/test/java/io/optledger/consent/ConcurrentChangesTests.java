package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Concurrent changes to one contact are serialised: none is lost and the chain stays linear. */
@ApiTest
class ConcurrentChangesTests {

    private static final int THREADS = 16;
    private static final int CHANGES_PER_THREAD = 10;

    @LocalServerPort
    int port;

    @Test
    void sixteenThreadsFlippingOneSubscriptionLeaveTheStateOfTheLastEvent() throws Exception {
        ApiClient api = new ApiClient(port);
        TestWorkspace workspace = TestWorkspace.create(api);
        long contact = workspace.contact("race@example.com", "+14155550177");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < CHANGES_PER_THREAD; i++) {
                        String action = (thread + i) % 2 == 0 ? "OPT_IN" : "OPT_OUT";
                        ApiClient.Response response = workspace.change(Map.of(
                                "contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action));
                        if (response.status() == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Integer> future : done) {
                succeeded += future.get();
            }
            assertThat(succeeded).isEqualTo(THREADS * CHANGES_PER_THREAD);
        }

        JsonNode events = workspace.events(contact);
        assertThat(events).hasSize(THREADS * CHANGES_PER_THREAD);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
        }
        // the last event that moved the time forward decides; every event here is at or after the one before
        String lastTo = events.get(events.size() - 1).get("to").asString();
        JsonNode subscriptions = api.get("/v1/contacts/" + contact + "/subscriptions", workspace.adminKey())
                .json();
        assertThat(subscriptions.at("/subscriptions/0/status").asString()).isEqualTo(lastTo);
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(verification.get("eventsChecked").asLong()).isEqualTo(THREADS * CHANGES_PER_THREAD);
    }
}
