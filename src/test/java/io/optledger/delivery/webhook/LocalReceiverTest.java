package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Webhook tests against receivers on 127.0.0.1: a context of their own (so a database of their own) where private
 * networks are allowed and retries come within a second.
 */
@TestPropertySource(
        properties = {
            "optledger.data-dir=target/test-data-webhooks",
            "optledger.webhooks.allow-private-networks=true",
            "optledger.webhooks.poll-interval=50ms",
            "optledger.webhooks.first-retry=200ms",
            "optledger.webhooks.max-retry-interval=1s",
            "optledger.webhooks.timeout=2s",
            "optledger.webhooks.lease=10s"
        })
abstract class LocalReceiverTest extends WorkspaceApiTest {

    protected Receiver receiver;

    /** An endpoint as created: its id and its secret. */
    record Hook(String id, String secret) {}

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = Receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    Hook hook(String url, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("url", url);
        ApiClient.Response created = api.post("/v1/webhooks", workspace.adminKey(), ApiClient.json(body));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return new Hook(
                created.json().get("id").asString(),
                created.json().get("secret").asString());
    }

    /** Contact {@code n} of the test's workspace: {@code c<n>@example.com}, {@link #phone(int)}. */
    long contact(int n) {
        return workspace.contact(email(n), phone(n));
    }

    static String email(int n) {
        return "c" + n + "@example.com";
    }

    static String phone(int n) {
        return "+1415555" + (4000 + n);
    }

    void change(long contactId, String channel, String topic, String action) {
        ApiClient.Response response =
                workspace.change(Map.of("contactId", contactId, "channel", channel, "topic", topic, "action", action));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    JsonNode deliveries(String hookId) {
        ApiClient.Response response = api.get("/v1/webhooks/" + hookId + "/deliveries?limit=100", workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("deliveries");
    }

    /**
     * The endpoint's deliveries once they satisfy the condition (within 20 s): the receiver sees a request before the
     * worker records its outcome.
     */
    JsonNode awaitDeliveries(String hookId, java.util.function.Predicate<JsonNode> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        JsonNode deliveries = deliveries(hookId);
        while (!condition.test(deliveries) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            deliveries = deliveries(hookId);
        }
        assertThat(condition.test(deliveries)).as(deliveries.toString()).isTrue();
        return deliveries;
    }

    /** The endpoint once it satisfies the condition (within 20 s). */
    JsonNode awaitWebhook(String hookId, java.util.function.Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        JsonNode webhook = webhook(hookId);
        while (!condition.test(webhook) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            webhook = webhook(hookId);
        }
        assertThat(condition.test(webhook)).as(webhook.toString()).isTrue();
        return webhook;
    }

    static boolean allDelivered(JsonNode deliveries) {
        return deliveries.valueStream().allMatch(d -> d.get("status").asString().equals("DELIVERED"));
    }

    JsonNode webhook(String hookId) {
        ApiClient.Response response = api.get("/v1/webhooks/" + hookId, workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }
}
