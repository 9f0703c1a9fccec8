package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Suppressions reach receivers too: added, given another reason and lifted, signed, in the order of the workspace
 * ledger, through a topic filter (a suppression holds for every topic) and not through an event-type filter that leaves
 * them out.
 */
class SuppressionEventTests extends LocalReceiverTest {

    @Test
    void aSuppressionAddedChangedAndLiftedArrivesInOrderWithItsWorkspaceLedgerSeqAndHash() throws Exception {
        Hook hook = hook(
                receiver.url("/suppressions"),
                Map.of(
                        "eventTypes", List.of("suppression.added", "suppression.changed", "suppression.lifted"),
                        "topics", List.of("marketing")));
        Hook changesOnly = hook(receiver.url("/changes"), Map.of("eventTypes", List.of("subscription.changed")));
        String address = "Gone@Example.com";

        suppress(address, "BOUNCE");
        suppress(address, "COMPLAINT");
        ApiClient.Response lifted = api.delete(
                "/v1/suppressions?channel=EMAIL&address=" + URLEncoder.encode(address, StandardCharsets.UTF_8),
                workspace.adminKey());
        assertThat(lifted.status()).as(lifted.text()).isIn(200, 204);

        List<Receiver.Received> received = receiver.await("three suppression events", r -> r.size() == 3);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/suppressions");
            assertThat(SpecVerifier.verifies(hook.secret(), r)).isTrue();
        });
        assertThat(received.stream().map(r -> r.json().get("type").asString()))
                .containsExactly("suppression.added", "suppression.changed", "suppression.lifted");

        JsonNode ledger = api.get("/v1/ledger/workspace-events", workspace.adminKey())
                .json()
                .get("events");
        List<JsonNode> ofAddress = ledger.valueStream()
                .filter(e -> e.get("subject").asString().equals("EMAIL:gone@example.com"))
                .toList();
        assertThat(ofAddress).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode data = received.get(i).json().get("data");
            assertThat(data.get("workspaceId").asLong()).isEqualTo(workspace.id());
            assertThat(data.get("channel").asString()).isEqualTo("EMAIL");
            assertThat(data.get("address").asString()).isEqualTo("gone@example.com");
            assertThat(data.get("workspaceLedgerSeq").asLong())
                    .isEqualTo(ofAddress.get(i).get("seq").asLong());
            assertThat(data.get("workspaceLedgerHash").asString())
                    .isEqualTo(ofAddress.get(i).get("hash").asString());
        }
        JsonNode changed = received.get(1).json().get("data");
        assertThat(changed.get("previousReason").asString()).isEqualTo("BOUNCE");
        assertThat(changed.get("reason").asString()).isEqualTo("COMPLAINT");
        assertThat(received.get(2).json().get("data").get("reason").isNull()).isTrue();

        awaitDeliveries(hook.id(), d -> d.size() == 3 && allDelivered(d));
        assertThat(deliveries(changesOnly.id())).isEmpty();
    }

    private void suppress(String address, String reason) {
        ApiClient.Response response = api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                ApiClient.json(Map.of("channel", "EMAIL", "address", address, "reason", reason)));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
    }
}
