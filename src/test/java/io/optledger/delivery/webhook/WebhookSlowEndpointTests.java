package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One slow receiver does not hold back another endpoint: a pass records the sends that ended and goes on, while the
 * slow receiver's attempts are recorded when they end, each contact's events to it still in order.
 */
class WebhookSlowEndpointTests extends LocalReceiverTest {

    @Test
    void aFastEndpointGetsEveryEventWhileASlowOnesFirstAttemptsAreStillInFlight() throws Exception {
        Hook slow = hook(receiver.url("/slow"), Map.of());
        Hook fast = hook(receiver.url("/fast"), Map.of());
        // well within the tests' 2 s timeout: a success, only late
        receiver.answer(request -> request.path().equals("/slow")
                ? Receiver.Answer.status(204).after(1_500)
                : Receiver.Answer.status(204));
        int contacts = 4;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            ids.add(contact(90 + i));
        }
        for (String action : List.of("OPT_IN", "OPT_OUT", "OPT_IN")) {
            for (long id : ids) {
                change(id, "EMAIL", "marketing", action);
            }
        }

        List<Receiver.Received> received =
                receiver.await("the fast endpoint's every event", r -> count(r, "/fast") >= contacts * 3);
        // a contact's next event to the slow endpoint waits for its previous one (1.5 s each): had the passes waited
        // for the slow sends, the fast endpoint's third events would have come with the slow one's third
        assertThat(count(received, "/slow"))
                .as("requests the slow endpoint had received when the fast one had all")
                .isLessThan(contacts * 3);

        JsonNode slowDeliveries = awaitDeliveries(slow.id(), d -> d.size() == contacts * 3 && allDelivered(d));
        for (JsonNode delivery : slowDeliveries) {
            assertThat(delivery.get("attempts")).hasSize(1);
        }
        awaitDeliveries(fast.id(), d -> d.size() == contacts * 3 && allDelivered(d));
        for (long id : ids) {
            assertThat(actionsTo(receiver.await("all", r -> count(r, "/slow") >= contacts * 3), "/slow", id))
                    .as("contact %d at the slow endpoint", id)
                    .containsExactly("OPT_IN", "OPT_OUT", "OPT_IN");
        }
    }

    private static long count(List<Receiver.Received> received, String path) {
        return received.stream().filter(r -> r.path().equals(path)).count();
    }

    private static List<String> actionsTo(List<Receiver.Received> received, String path, long contactId) {
        return received.stream()
                .filter(r -> r.path().equals(path))
                .map(r -> r.json().get("data"))
                .filter(data -> data.get("contactId").asLong() == contactId)
                .map(data -> data.get("action").asString())
                .toList();
    }
}
