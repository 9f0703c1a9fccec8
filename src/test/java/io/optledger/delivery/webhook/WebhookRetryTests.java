package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * At least once and in order per contact: concurrent writes to several contacts against a receiver that fails and
 * stalls at random, a receiver down for a while, 410 Gone, a delivery given up and retried by hand, an endpoint
 * failing for longer than disable-after, and pruning past the retention.
 */
class WebhookRetryTests extends LocalReceiverTest {

    private static final List<String> ACTIONS = List.of("OPT_IN", "OPT_OUT");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WebhookMetrics metrics;

    @Autowired
    WebhookPruner pruner;

    @LocalManagementPort
    int managementPort;

    @Test
    void eachContactsEventsArriveInOrderUnderConcurrentWritesFailuresAndStalls() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        // a third of the first attempts fail, the rest answer after up to 30 ms: later events of a contact must wait
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        receiver.answer(r -> {
            String id = r.header("webhook-id");
            if (seen.add(id) && Math.floorMod(id.hashCode(), 3) == 0) {
                return Receiver.Answer.status(503);
            }
            return new Receiver.Answer(200, Map.of(), "", Duration.ofMillis(Math.floorMod(id.hashCode(), 30)));
        });
        int contacts = 6;
        int changes = 12;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            ids.add(contact(10 + i));
        }
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (long id : ids) {
                done.add(writers.submit(() -> {
                    for (int n = 0; n < changes; n++) {
                        change(id, "EMAIL", "marketing", ACTIONS.get(n % 2));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        List<Receiver.Received> received = receiver.await(
                "every change delivered",
                r -> r.stream().filter(Receiver.Received::ok).count() == (long) contacts * changes);

        Map<Long, List<String>> actions = new LinkedHashMap<>();
        Map<Long, Long> lastSeq = new LinkedHashMap<>();
        Map<Long, Boolean> lastDelivered = new LinkedHashMap<>();
        Set<String> delivered = new HashSet<>();
        for (Receiver.Received request : received) {
            assertThat(SpecVerifier.verifies(hook.secret(), request)).isTrue();
            JsonNode data = request.json().get("data");
            long contact = data.get("contactId").asLong();
            long seq = data.get("ledgerSeq").asLong();
            long before = lastSeq.getOrDefault(contact, 0L);
            // a contact's events arrive in ledger order, the next only once the one before was delivered; an event
            // may come again (a retry, or at least once), never an older one
            assertThat(seq).as("contact %d", contact).isGreaterThanOrEqualTo(before);
            if (seq > before && before > 0) {
                assertThat(lastDelivered.get(contact))
                        .as("contact %d's seq %d before %d was delivered", contact, seq, before)
                        .isTrue();
            }
            lastSeq.put(contact, seq);
            lastDelivered.merge(contact, request.ok(), (was, now) -> seq == before ? was || now : now);
            if (request.ok() && delivered.add(request.header("webhook-id"))) {
                actions.computeIfAbsent(contact, c -> new ArrayList<>())
                        .add(data.get("action").asString());
            }
        }
        List<String> sent = new ArrayList<>();
        for (int n = 0; n < changes; n++) {
            sent.add(ACTIONS.get(n % 2));
        }
        for (long id : ids) {
            assertThat(actions.get(id)).as("contact %d", id).isEqualTo(sent);
        }
        assertThat(received.stream().filter(r -> !r.ok()).count()).isPositive();
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingInOrderOnceBack() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        receiver.down();
        long first = contact(20);
        long second = contact(21);
        for (int n = 0; n < 5; n++) {
            change(first, "EMAIL", "marketing", ACTIONS.get(n % 2));
        }
        for (int n = 0; n < 3; n++) {
            change(second, "SMS", "marketing", ACTIONS.get(n % 2));
        }
        // wait for a few attempts at each contact's first event
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (attempts(hook.id()) < 6 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        metrics.refresh();
        String prometheus =
                new ApiClient(managementPort).get("/actuator/prometheus", null).text();
        java.util.regex.Matcher lag = java.util.regex.Pattern.compile("optledger_webhooks_lag_seconds\\{endpoint=\""
                        + hook.id() + "\",workspace=\"" + workspace.id() + "\"} ([0-9.E]+)")
                .matcher(prometheus);
        assertThat(lag.find()).as(prometheus).isTrue();
        assertThat(Double.parseDouble(lag.group(1))).isPositive();
        JsonNode waiting = deliveries(hook.id());
        assertThat(waiting).hasSize(8);
        int attempted = 0;
        for (JsonNode delivery : waiting) {
            assertThat(delivery.get("status").asString()).isEqualTo("PENDING");
            for (JsonNode attempt : delivery.get("attempts")) {
                assertThat(attempt.get("statusCode").isNull()).isTrue();
                assertThat(attempt.get("error").asString()).startsWith("connection refused");
                attempted++;
            }
        }
        assertThat(attempted).isGreaterThanOrEqualTo(6);
        // only the head of each contact was attempted
        assertThat(waiting.valueStream().filter(d -> !d.get("attempts").isEmpty()))
                .hasSize(2);

        long back = System.nanoTime();
        receiver.up();
        List<Receiver.Received> received = receiver.await("all eight", r -> r.size() == 8);
        System.out.printf(
                "a receiver back after an outage had all 8 waiting events %d ms later%n",
                (System.nanoTime() - back) / 1_000_000);
        assertThat(received.stream()
                        .filter(r -> r.json().at("/data/contactId").asLong() == first)
                        .map(r -> r.json().at("/data/action").asString()))
                .containsExactly("OPT_IN", "OPT_OUT", "OPT_IN", "OPT_OUT", "OPT_IN");
        assertThat(received.stream()
                        .filter(r -> r.json().at("/data/contactId").asLong() == second)
                        .map(r -> r.json().at("/data/action").asString()))
                .containsExactly("OPT_IN", "OPT_OUT", "OPT_IN");
        for (JsonNode delivery : awaitDeliveries(hook.id(), LocalReceiverTest::allDelivered)) {
            JsonNode attempts = delivery.get("attempts");
            assertThat(attempts.get(attempts.size() - 1).get("statusCode").asInt())
                    .isEqualTo(204);
        }
        awaitWebhook(hook.id(), w -> w.get("failingSince").isNull());
    }

    @Test
    void goneDisablesTheEndpointUntilItIsEnabledAgain() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        receiver.answer(r -> Receiver.Answer.status(410));
        long dee = contact(30);
        change(dee, "EMAIL", "marketing", "OPT_IN");
        receiver.await("one attempt", r -> r.size() == 1);
        JsonNode disabled = awaitWebhook(hook.id(), w -> !w.get("enabled").asBoolean());
        assertThat(disabled.get("disabledReason").asString()).contains("410 Gone");
        assertThat(disabled.get("disabledAt").isNull()).isFalse();
        change(dee, "EMAIL", "marketing", "OPT_OUT");
        Thread.sleep(1_000);
        assertThat(receiver.received()).hasSize(1);
        assertThat(deliveries(hook.id()))
                .as("events while disabled are not queued")
                .hasSize(1);

        receiver.answer(r -> Receiver.Answer.status(200));
        ApiClient.Response enabled =
                api.patch("/v1/webhooks/" + hook.id(), workspace.adminKey(), "{\"enabled\": true}");
        assertThat(enabled.status()).as(enabled.text()).isEqualTo(200);
        assertThat(enabled.json().get("disabledReason").isNull()).isTrue();
        receiver.await("the waiting event", r -> r.size() == 2);
        JsonNode delivery =
                awaitDeliveries(hook.id(), LocalReceiverTest::allDelivered).get(0);
        assertThat(delivery.get("attempts")
                        .valueStream()
                        .map(a -> a.get("statusCode").asInt()))
                .containsExactly(410, 200);
    }

    @Test
    void aGivenUpDeliveryLetsTheNextGoAndCanBeRetriedByHand() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
        receiver.answer(r -> {
            if (refused.isEmpty() || refused.contains(r.header("webhook-id"))) {
                refused.add(r.header("webhook-id"));
                return Receiver.Answer.status(500);
            }
            return Receiver.Answer.status(200);
        });
        long eve = contact(40);
        change(eve, "EMAIL", "marketing", "OPT_IN");
        receiver.await("a failed attempt", r -> !r.isEmpty());
        change(eve, "EMAIL", "marketing", "OPT_OUT");
        Thread.sleep(1_500);
        assertThat(receiver.received().stream().map(r -> r.header("webhook-id")).distinct())
                .as("the next event waits while the first is retried")
                .hasSize(1);
        String firstId = refused.iterator().next();
        // its retries run out
        jdbc.sql("update webhook_deliveries set retry_until = now() - interval '1 second' where id = :id")
                .param("id", firstId)
                .update();
        List<Receiver.Received> received = receiver.await(
                "the second event once the first is given up", r -> r.stream().anyMatch(Receiver.Received::ok));
        assertThat(received.getLast().json().at("/data/action").asString()).isEqualTo("OPT_OUT");
        JsonNode given = deliveries(hook.id())
                .valueStream()
                .filter(d -> d.get("id").asString().equals(firstId))
                .findFirst()
                .orElseThrow();
        assertThat(given.get("status").asString()).isEqualTo("FAILED");
        assertThat(given.get("lastError").asString()).isEqualTo("HTTP 500");

        refused.clear();
        refused.add("none");
        ApiClient.Response retried =
                api.post("/v1/webhooks/" + hook.id() + "/deliveries/" + firstId + "/retry", workspace.adminKey(), "");
        assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        receiver.await(
                "the first event, by hand",
                r -> r.stream().anyMatch(x -> x.ok() && x.header("webhook-id").equals(firstId)));
        assertThat(awaitDeliveries(hook.id(), LocalReceiverTest::allDelivered)).hasSize(2);
    }

    @Test
    void theLatestAttemptIsKeptOnItsDeliveryAndTheEarlierOnesAmongItsAttempts() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long failing = contact(70);
        receiver.answer(r -> {
            boolean first =
                    r.json().at("/data/contactId").asLong() == failing && failedOnce.add(r.header("webhook-id"));
            return first
                    ? new Receiver.Answer(503, Map.of(), "busy", Duration.ZERO)
                    : new Receiver.Answer(200, Map.of(), "thanks", Duration.ZERO);
        });
        long other = contact(71);
        change(failing, "EMAIL", "marketing", "OPT_IN");
        change(other, "EMAIL", "marketing", "OPT_IN");
        Map<Long, JsonNode> byContact = new java.util.HashMap<>();
        awaitDeliveries(hook.id(), d -> d.size() == 2 && allDelivered(d))
                .valueStream()
                .forEach(d -> byContact.put(d.get("contactId").asLong(), d));

        // delivered at the first attempt: the attempt is on the delivery's row only
        JsonNode first = byContact.get(other);
        assertThat(first.get("attempts")).hasSize(1);
        assertThat(first.at("/attempts/0/statusCode").asInt()).isEqualTo(200);
        assertThat(first.at("/attempts/0/response").asString()).isEqualTo("thanks");
        assertThat(first.at("/attempts/0/latencyMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(attemptRows(first.get("id").asString())).isZero();

        // retried: the failed attempt moved among the attempts when the next was recorded, in the order made
        JsonNode retried = byContact.get(failing);
        assertThat(retried.get("attempts")
                        .valueStream()
                        .map(a -> a.get("statusCode").asInt()))
                .containsExactly(503, 200);
        assertThat(retried.get("attempts")
                        .valueStream()
                        .map(a -> a.get("response").asString()))
                .containsExactly("busy", "thanks");
        assertThat(retried.at("/attempts/0/error").asString()).isEqualTo("HTTP 503");
        assertThat(retried.at("/attempts/1/error").isNull()).isTrue();
        assertThat(Instant.parse(retried.at("/attempts/0/at").asString()))
                .isBefore(Instant.parse(retried.at("/attempts/1/at").asString()));
        assertThat(attemptRows(retried.get("id").asString())).isOne();

        // delivered again by hand: the attempt it had is kept, the new one is the latest
        String firstId = first.get("id").asString();
        ApiClient.Response again =
                api.post("/v1/webhooks/" + hook.id() + "/deliveries/" + firstId + "/retry", workspace.adminKey(), "");
        assertThat(again.status()).as(again.text()).isEqualTo(202);
        JsonNode twice = awaitDeliveries(
                        hook.id(),
                        d -> d.valueStream()
                                .anyMatch(x -> x.get("id").asString().equals(firstId)
                                        && x.get("attempts").size() == 2
                                        && x.get("status").asString().equals("DELIVERED")))
                .valueStream()
                .filter(x -> x.get("id").asString().equals(firstId))
                .findFirst()
                .orElseThrow();
        assertThat(twice.get("attempts")
                        .valueStream()
                        .map(a -> a.get("statusCode").asInt()))
                .containsExactly(200, 200);
        assertThat(attemptRows(firstId)).isOne();
    }

    private long attemptRows(String deliveryId) {
        return jdbc.sql("select count(*) from webhook_attempts where workspace_id = :w and delivery_id = :id")
                .param("w", workspace.id())
                .param("id", deliveryId)
                .query(Long.class)
                .single();
    }

    @Test
    void anEndpointFailingForLongerThanDisableAfterIsDisabledWithTheReason() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        receiver.answer(r -> Receiver.Answer.status(500));
        change(contact(50), "EMAIL", "marketing", "OPT_IN");
        receiver.await("a failed attempt", r -> !r.isEmpty());
        assertThat(awaitWebhook(hook.id(), w -> !w.get("failingSince").isNull())
                        .get("enabled")
                        .asBoolean())
                .isTrue();
        jdbc.sql("update webhook_endpoints set failing_since = now() - interval '25 hours' where id = :id")
                .param("id", hook.id())
                .update();
        JsonNode disabled = awaitWebhook(hook.id(), w -> !w.get("enabled").asBoolean());
        assertThat(disabled.get("disabledReason").asString())
                .startsWith("every attempt failed since")
                .contains("HTTP 500");
    }

    @Test
    void finishedDeliveriesArePrunedAfterTheRetention() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        change(contact(60), "EMAIL", "marketing", "OPT_IN");
        receiver.await("a delivery", r -> r.size() == 1);
        awaitDeliveries(hook.id(), d -> d.size() == 1 && allDelivered(d));
        jdbc.sql("update webhook_deliveries set finished_at = now() - interval '8 days' where endpoint_id = :id")
                .param("id", hook.id())
                .update();
        while (pruner.prune()) {
            // batches until none is full
        }
        assertThat(deliveries(hook.id())).isEmpty();
        assertThat(jdbc.sql(
                                "select count(*) from webhook_attempts where delivery_id like 'msg_%' and workspace_id = :w")
                        .param("w", workspace.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private int attempts(String hookId) {
        return deliveries(hookId)
                .valueStream()
                .mapToInt(d -> d.get("attempts").size())
                .sum();
    }
}
