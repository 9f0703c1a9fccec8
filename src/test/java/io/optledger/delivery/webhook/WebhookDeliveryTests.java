package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;

/**
 * What a receiver gets: Standard Webhooks headers whose signature an independent check accepts, the change and its
 * ledger seq and hash, only the events its filters choose, both signatures while a rotated secret's grace lasts, no
 * redirect followed; a test ping answered at once; and the counts in Prometheus.
 */
class WebhookDeliveryTests extends LocalReceiverTest {

    @LocalManagementPort
    int managementPort;

    @Autowired
    WebhookMetrics metrics;

    @Test
    void deliversASignedChangeWithItsLedgerSeqAndHash() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of("description", "CRM"));
        long ada = contact(1);
        long sent = System.nanoTime();
        ApiClient.Response changed = workspace.change(Map.of(
                "contactId",
                ada,
                "channel",
                "EMAIL",
                "topic",
                "marketing",
                "action",
                "OPT_IN",
                "source",
                "signup-form"));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);

        Receiver.Received request =
                receiver.await("one webhook", r -> r.size() == 1).getFirst();
        System.out.printf(
                "webhook received %d ms after the change was acknowledged%n", (System.nanoTime() - sent) / 1_000_000);
        assertThat(request.path()).isEqualTo("/hooks");
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("webhook-id")).matches("msg_[0-9a-f]{32}");
        assertThat(Long.parseLong(request.header("webhook-timestamp")))
                .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        assertThat(SpecVerifier.verifies(hook.secret(), request)).isTrue();
        Receiver.Received tampered = new Receiver.Received(
                request.at(), request.path(), request.headers(), request.body().replace("OPT_IN", "OPT_OUT"), 204);
        assertThat(SpecVerifier.verifies(hook.secret(), tampered)).isFalse();

        JsonNode event = request.json();
        JsonNode last = workspace.events(ada).get(workspace.events(ada).size() - 1);
        assertThat(event.get("type").asString()).isEqualTo("subscription.changed");
        assertThat(Instant.parse(event.get("timestamp").asString()))
                .isEqualTo(Instant.parse(last.get("recordedAt").asString()));
        JsonNode data = event.get("data");
        assertThat(data.get("workspaceId").asLong()).isEqualTo(workspace.id());
        assertThat(data.get("contactId").asLong()).isEqualTo(ada);
        assertThat(data.get("channel").asString()).isEqualTo("EMAIL");
        assertThat(data.get("address").asString()).isEqualTo(email(1));
        assertThat(data.get("topic").asString()).isEqualTo("marketing");
        assertThat(data.get("previousStatus").isNull()).isTrue();
        assertThat(data.get("status").asString()).isEqualTo("SUBSCRIBED");
        assertThat(data.get("action").asString()).isEqualTo("OPT_IN");
        assertThat(data.get("source").asString()).isEqualTo("signup-form");
        assertThat(data.get("ledgerSeq").asLong()).isEqualTo(last.get("seq").asLong());
        assertThat(data.get("ledgerHash").asString()).isEqualTo(last.get("hash").asString());

        JsonNode delivery =
                awaitDeliveries(hook.id(), LocalReceiverTest::allDelivered).get(0);
        assertThat(delivery.get("id").asString()).isEqualTo(request.header("webhook-id"));
        assertThat(delivery.get("payload")).isEqualTo(event);
        assertThat(delivery.get("attempts")).hasSize(1);
        assertThat(delivery.at("/attempts/0/statusCode").asInt()).isEqualTo(204);
        assertThat(delivery.at("/attempts/0/latencyMs").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void confirmationsAreTheirOwnTypeAndFiltersChooseWhatIsSent() throws Exception {
        ApiClient.Response topic = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(Map.of("key", "news", "name", "News", "kind", "MARKETING")));
        assertThat(topic.status()).as(topic.text()).isEqualTo(201);
        Hook confirmations = hook(receiver.url("/confirmed"), Map.of("eventTypes", List.of("subscription.confirmed")));
        Hook news = hook(receiver.url("/news"), Map.of("topics", List.of("news")));
        Hook texts = hook(receiver.url("/sms"), Map.of("channels", List.of("SMS")));
        Hook all = hook(receiver.url("/all"), Map.of());
        long bea = contact(2);
        change(bea, "EMAIL", "marketing", "AWAIT_CONFIRMATION");
        change(bea, "EMAIL", "marketing", "CONFIRM");
        change(bea, "EMAIL", "news", "OPT_IN");
        change(bea, "SMS", "marketing", "OPT_IN");

        List<Receiver.Received> received = receiver.await(
                "the four changes to the catch-all endpoint and the last to the SMS one",
                r -> r.stream().filter(x -> x.path().equals("/all")).count() == 4
                        && r.stream().anyMatch(x -> x.path().equals("/sms")));
        assertThat(received.stream()
                        .filter(r -> r.path().equals("/all"))
                        .map(r -> r.json().get("type").asString() + " "
                                + r.json().at("/data/topic").asString() + " "
                                + r.json().at("/data/channel").asString()))
                .containsExactly(
                        "subscription.changed marketing EMAIL",
                        "subscription.confirmed marketing EMAIL",
                        "subscription.changed news EMAIL",
                        "subscription.changed marketing SMS");
        // the fan-out writes every endpoint's deliveries of a change together: none can come later
        assertThat(deliveries(confirmations.id())).hasSize(1);
        assertThat(deliveries(confirmations.id()).at("/0/eventType").asString()).isEqualTo("subscription.confirmed");
        assertThat(deliveries(news.id())).hasSize(1);
        assertThat(deliveries(news.id()).at("/0/payload/data/topic").asString()).isEqualTo("news");
        assertThat(deliveries(texts.id())).hasSize(1);
        assertThat(deliveries(texts.id()).at("/0/payload/data/address").asString())
                .isEqualTo(phone(2));
        assertThat(deliveries(all.id())).hasSize(4);
    }

    @Test
    void aRotatedSecretSignsBesideTheNewOneUntilItsGracePeriodEnds() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        ApiClient.Response rotated = api.post(
                "/v1/webhooks/" + hook.id() + "/rotate-secret",
                workspace.adminKey(),
                ApiClient.json(Map.of("gracePeriod", "PT1H")));
        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
        String second = rotated.json().get("secret").asString();
        assertThat(second).startsWith("whsec_").isNotEqualTo(hook.secret());
        assertThat(Instant.parse(rotated.json().get("previousSecretExpiresAt").asString()))
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(59)),
                        Instant.now().plus(Duration.ofMinutes(61)));

        long cy = contact(3);
        change(cy, "EMAIL", "marketing", "OPT_IN");
        Receiver.Received during =
                receiver.await("a webhook", r -> r.size() == 1).getFirst();
        String[] signatures = during.header("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2);
        assertThat(SpecVerifier.matching(second, during)).containsExactly(signatures[0]);
        assertThat(SpecVerifier.matching(hook.secret(), during)).containsExactly(signatures[1]);

        ApiClient.Response now = api.post(
                "/v1/webhooks/" + hook.id() + "/rotate-secret",
                workspace.adminKey(),
                ApiClient.json(Map.of("gracePeriod", "PT0S")));
        String third = now.json().get("secret").asString();
        change(cy, "EMAIL", "marketing", "OPT_OUT");
        Receiver.Received after =
                receiver.await("a second webhook", r -> r.size() == 2).get(1);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        assertThat(SpecVerifier.verifies(third, after)).isTrue();
        assertThat(SpecVerifier.verifies(second, after)).isFalse();
    }

    @Test
    void aTestPingIsSentNowAndItsResultAnswered() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        ApiClient.Response ping = api.post("/v1/webhooks/" + hook.id() + "/test", workspace.adminKey(), "");
        assertThat(ping.status()).as(ping.text()).isEqualTo(200);
        assertThat(ping.json().get("status").asString()).isEqualTo("DELIVERED");
        Receiver.Received request = receiver.received().getFirst();
        assertThat(request.header("webhook-id")).isEqualTo(ping.json().get("id").asString());
        assertThat(request.json().get("type").asString()).isEqualTo("webhook.test");
        assertThat(request.json().at("/data/webhookId").asString()).isEqualTo(hook.id());
        assertThat(SpecVerifier.verifies(hook.secret(), request)).isTrue();

        String large = "x".repeat(3_000);
        receiver.answer(r -> new Receiver.Answer(500, Map.of(), large, Duration.ZERO));
        JsonNode failed = api.post("/v1/webhooks/" + hook.id() + "/test", workspace.adminKey(), "")
                .json();
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.at("/attempts/0/statusCode").asInt()).isEqualTo(500);
        assertThat(failed.at("/attempts/0/error").asString()).isEqualTo("HTTP 500");
        assertThat(failed.at("/attempts/0/response").asString()).isEqualTo("x".repeat(1024));
        // a ping's outcome leaves the endpoint alone
        assertThat(webhook(hook.id()).get("enabled").asBoolean()).isTrue();
        assertThat(webhook(hook.id()).get("failingSince").isNull()).isTrue();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        try (Receiver elsewhere = Receiver.start()) {
            Hook hook = hook(receiver.url("/hooks"), Map.of());
            receiver.answer(r -> Receiver.Answer.redirect(elsewhere.url("/stolen")));
            JsonNode ping = api.post("/v1/webhooks/" + hook.id() + "/test", workspace.adminKey(), "")
                    .json();
            assertThat(ping.get("status").asString()).isEqualTo("FAILED");
            assertThat(ping.at("/attempts/0/statusCode").asInt()).isEqualTo(302);
            assertThat(ping.at("/attempts/0/error").asString()).contains("redirects are not followed");
            assertThat(receiver.received()).hasSize(1);
            assertThat(elsewhere.received()).isEmpty();
        }
    }

    @Test
    void deliveriesFailuresAndLagAreInPrometheus() throws Exception {
        Hook hook = hook(receiver.url("/hooks"), Map.of());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        receiver.answer(r -> Receiver.Answer.status(calls.incrementAndGet() == 1 ? 503 : 200));
        change(contact(4), "EMAIL", "marketing", "OPT_IN");
        receiver.await(
                "a failure then a delivery", r -> r.size() == 2 && r.get(1).ok());
        awaitDeliveries(hook.id(), LocalReceiverTest::allDelivered);
        metrics.refresh();
        ApiClient management = new ApiClient(managementPort);
        String tags = "endpoint=\"" + hook.id() + "\",workspace=\"" + workspace.id() + "\"";
        // counted just after the outcome is recorded
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String prometheus = management.get("/actuator/prometheus", null).text();
        while (!prometheus.contains("optledger_webhooks_delivered_total{" + tags + "} 1.0")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            prometheus = management.get("/actuator/prometheus", null).text();
        }
        assertThat(prometheus)
                .contains("optledger_webhooks_delivered_total{" + tags + "} 1.0")
                .contains("optledger_webhooks_failed_total{" + tags + "} 1.0")
                .contains("optledger_webhooks_fanout_lag_seconds");
        JsonNode workers = management.get("/actuator/health", null).json().at("/components/workers/details");
        assertThat(workers.propertyNames())
                .contains("webhook-fanout", "webhook-delivery", "webhook-pruner", "webhook-metrics");
        assertThat(workers.at("/webhook-fanout/stalled").asBoolean()).isFalse();
    }
}
