package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A delivery pass claims many lanes at once, sends their heads at the same time and records all of their outcomes in
 * one transaction: each contact's events still arrive in order, and an attempt that fails beside others that succeed
 * is recorded as its own.
 */
class WebhookPassTests extends LocalReceiverTest {

    private static final List<String> ACTIONS = List.of("OPT_IN", "OPT_OUT");

    @Test
    void aPassSendsManyContactsHeadsAtOnceAndEachContactsEventsStayInOrder() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        // each request is held until another is in flight beside it, or for half a second (well within the 2 s
        // timeout): only sends made at the same time overlap here
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Object changed = new Object();
        receiver.answer(request -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            synchronized (changed) {
                changed.notifyAll();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (inFlight.get() < 2 && System.nanoTime() < deadline) {
                    try {
                        changed.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            inFlight.decrementAndGet();
            return Receiver.Answer.status(204);
        });
        int contacts = 20;
        int changes = 3;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            ids.add(contact(40 + i));
        }
        for (int n = 0; n < changes; n++) {
            for (long id : ids) {
                change(id, "EMAIL", "marketing", ACTIONS.get(n % 2));
            }
        }
        List<Receiver.Received> received = receiver.await("every change", r -> r.size() >= contacts * changes);

        assertThat(mostInFlight.get()).as("requests in flight at once").isGreaterThan(1);
        Map<Long, List<String>> actions = new LinkedHashMap<>();
        Map<Long, Long> lastSeq = new HashMap<>();
        Set<String> webhookIds = new HashSet<>();
        for (Receiver.Received request : received) {
            assertThat(SpecVerifier.verifies(hook.secret(), request)).isTrue();
            assertThat(webhookIds.add(request.header("webhook-id")))
                    .as("each sent once")
                    .isTrue();
            JsonNode data = request.json().get("data");
            long contact = data.get("contactId").asLong();
            long seq = data.get("ledgerSeq").asLong();
            assertThat(seq).as("contact %d", contact).isGreaterThan(lastSeq.getOrDefault(contact, 0L));
            lastSeq.put(contact, seq);
            actions.computeIfAbsent(contact, c -> new ArrayList<>())
                    .add(data.get("action").asString());
        }
        for (long id : ids) {
            assertThat(actions.get(id)).as("contact %d", id).isEqualTo(List.of("OPT_IN", "OPT_OUT", "OPT_IN"));
        }
        JsonNode deliveries = awaitDeliveries(hook.id(), d -> d.size() == contacts * changes && allDelivered(d));
        for (JsonNode delivery : deliveries) {
            assertThat(delivery.get("attempts")).hasSize(1);
        }
    }

    @Test
    void aFailureBesideSuccessesIsRecordedAsItsOwnAttemptAndRetried() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        int contacts = 8;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            ids.add(contact(70 + i));
        }
        Set<Long> failing = Set.of(ids.get(1), ids.get(4), ids.get(6));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        // the first attempt at a failing contact's event answers 503, every other 204
        receiver.answer(request -> {
            long contact = request.json().get("data").get("contactId").asLong();
            return failing.contains(contact) && seen.add(request.header("webhook-id"))
                    ? Receiver.Answer.status(503)
                    : Receiver.Answer.status(204);
        });
        for (long id : ids) {
            change(id, "EMAIL", "marketing", "OPT_IN");
        }

        JsonNode deliveries = awaitDeliveries(hook.id(), d -> d.size() == contacts && allDelivered(d));
        Map<Long, JsonNode> byContact = new HashMap<>();
        for (JsonNode delivery : deliveries) {
            byContact.put(delivery.get("contactId").asLong(), delivery);
        }
        for (long id : ids) {
            JsonNode attempts = byContact.get(id).get("attempts");
            if (failing.contains(id)) {
                assertThat(attempts).as("contact %d", id).hasSize(2);
                assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(503);
                assertThat(attempts.get(1).get("statusCode").asInt()).isEqualTo(204);
            } else {
                assertThat(attempts).as("contact %d", id).hasSize(1);
                assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(204);
            }
        }
        JsonNode webhook = awaitWebhook(hook.id(), w -> w.get("failingSince").isNull());
        assertThat(webhook.get("enabled").asBoolean()).isTrue();
    }
}
