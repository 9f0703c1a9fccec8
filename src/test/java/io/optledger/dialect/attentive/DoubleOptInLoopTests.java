package io.optledger.dialect.attentive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Await;
import io.optledger.support.TestWorkspace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole double opt-in loop against a real HTTP SMS gateway (WireMock): opt-in, the "Reply Y" text reaches the
 * gateway, the inbound Y, eligibility; a STOP and its one confirmation; a gateway failure retried.
 */
@ApiTest
class DoubleOptInLoopTests {

    private static final WireMockServer GATEWAY =
            new WireMockServer(wireMockConfig().dynamicPort());
    private static final String PHONE = "+19148440001";

    static {
        GATEWAY.start();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private ApiClient api;
    private TestWorkspace workspace;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        // a context of its own (its sender differs), so a database of its own: one data folder per running PostgreSQL
        registry.add("optledger.data-dir", () -> "target/test-data-sms");
        registry.add("optledger.sms.sender", () -> "http");
        registry.add("optledger.sms.http.url", () -> GATEWAY.baseUrl() + "/sms");
        registry.add("optledger.sms.http.authorization", () -> "Bearer gateway-secret");
        registry.add("optledger.sms.from", () -> "+15550001111");
        registry.add("optledger.messaging.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stopGateway() {
        GATEWAY.stop();
    }

    @BeforeEach
    void setUp() {
        GATEWAY.resetAll();
        GATEWAY.stubFor(post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(202)));
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
    }

    @Test
    void optInReplyYThenEligible() {
        AttentiveClient attentive = new AttentiveClient(workspace);
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", false);
        ApiClient.Response subscribed = attentive.post(
                "subscriptions", ApiClient.json(Map.of("user", Map.of("phone", PHONE), "signUpSourceId", unit)));
        assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(202);
        assertThat(eligible()).isFalse();

        LoggedRequest request = awaitTexts(1).getFirst();
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer gateway-secret");
        JsonNode text = tools.jackson.databind.json.JsonMapper.builder().build().readTree(request.getBodyAsString());
        assertThat(text.get("to").asString()).isEqualTo(PHONE);
        assertThat(text.get("from").asString()).isEqualTo("+15550001111");
        assertThat(text.get("text").asString())
                .contains("Reply Y")
                .contains("By signing up you agree to receive recurring automated messages.");

        ApiClient.Response reply = api.post(
                "/v1/inbound/sms",
                workspace.adminKey(),
                "{\"from\": \"" + PHONE + "\", \"to\": \"+15550001111\", \"body\": \"YES\"}");
        assertThat(reply.json().get("action").asString()).isEqualTo("confirmed");
        assertThat(eligible()).isTrue();
        assertThat(awaitTexts(2).get(1).getBodyAsString()).contains("You are subscribed");

        ApiClient.Response stop =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"" + PHONE + "\", \"body\": \"STOP\"}");
        assertThat(stop.json().get("action").asString()).isEqualTo("opted_out");
        assertThat(eligible()).isFalse();
        List<LoggedRequest> texts = awaitTexts(3);
        assertThat(texts.get(2).getBodyAsString()).contains("unsubscribed");
        // one confirmation, not one per subscription
        assertThat(awaitTexts(3)).hasSize(3);
    }

    @Test
    void aGatewayFailureIsRetried() {
        String brand = brand();
        GATEWAY.resetAll();
        // other tests' queued texts may reach the gateway too: only this workspace's first text fails
        GATEWAY.stubFor(
                post(urlEqualTo("/sms")).atPriority(10).willReturn(aResponse().withStatus(200)));
        GATEWAY.stubFor(post(urlEqualTo("/sms"))
                .atPriority(1)
                .withRequestBody(containing(brand))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        ApiClient.Response help =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"" + PHONE + "\", \"body\": \"HELP\"}");
        assertThat(help.status()).isEqualTo(200);

        List<LoggedRequest> attempts = awaitTexts(2);
        assertThat(attempts.get(0).getBodyAsString()).isEqualTo(attempts.get(1).getBodyAsString());
        Map<String, Object> sent = await(() -> {
            Map<String, Object> row = jdbc.sql(
                            "select status, attempts, last_error from messages where workspace_id = :w")
                    .param("w", workspace.id())
                    .query()
                    .singleRow();
            return "SENT".equals(row.get("status")) ? row : null;
        });
        // sent on the second attempt, after the backoff the first failure set
        assertThat(sent).containsEntry("attempts", 2).containsEntry("last_error", null);
    }

    @Test
    void aQueuedConfirmationRequestIsNotSentAfterStop() {
        long queued = confirmationRequestHeldBackByAFailedAttempt();

        ApiClient.Response stop = api.post(
                "/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"" + PHONE + "\", \"body\": \"STOPALL\"}");
        assertThat(stop.json().get("action").asString()).isEqualTo("opted_out");

        // the one opt-out confirmation goes out; the "Reply Y" due again after its backoff never does
        assertThat(awaitTexts(2).get(1).getBodyAsString()).contains("unsubscribed");
        awaitPastRetry(queued);
        assertThat(awaitTexts(2)).hasSize(2);
        assertThat(message(queued)).containsEntry("status", "CANCELLED").containsEntry("last_error", "STOPALL");
        ApiClient.Response y =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"" + PHONE + "\", \"body\": \"Y\"}");
        assertThat(y.json().get("action").asString()).isEqualTo("none");
        assertThat(eligible()).isFalse();
    }

    @Test
    void theWorkerCancelsATextToAnAddressSuppressedSinceItWasQueued() {
        long queued = confirmationRequestHeldBackByAFailedAttempt();

        ApiClient.Response suppressed = api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"SMS\",\"address\":\"" + PHONE + "\",\"reason\":\"COMPLAINT\"}");
        assertThat(suppressed.status()).as(suppressed.text()).isEqualTo(201);

        awaitPastRetry(queued);
        Map<String, Object> cancelled = await(() -> {
            Map<String, Object> row = message(queued);
            return "CANCELLED".equals(row.get("status")) ? row : null;
        });
        assertThat(cancelled).containsEntry("last_error", "suppressed: COMPLAINT");
        assertThat(awaitTexts(1)).hasSize(1);
    }

    @Test
    void aReplyYIsNotSentOnceTheOptInItAsksToConfirmWasWithdrawn() {
        long queued = confirmationRequestHeldBackByAFailedAttempt();
        long contact = jdbc.sql("select contact_id from messages where workspace_id = :w and id = :id")
                .param("w", workspace.id())
                .param("id", queued)
                .query(Long.class)
                .single();

        ApiClient.Response optOut = api.post(
                "/v1/subscriptions/changes",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "items",
                        List.of(Map.of(
                                "contactId", contact, "channel", "SMS", "topic", "marketing", "action", "OPT_OUT")))));
        assertThat(optOut.json().at("/results/0/outcome").asString()).isEqualTo("changed");

        awaitPastRetry(queued);
        Map<String, Object> cancelled = await(() -> {
            Map<String, Object> row = message(queued);
            return "CANCELLED".equals(row.get("status")) ? row : null;
        });
        assertThat(cancelled).containsEntry("last_error", "no opt-in pending");
        assertThat(awaitTexts(1)).hasSize(1);
    }

    /** A text opt-in whose "Reply Y" fails once at the gateway, so it waits in the queue for its retry. */
    private long confirmationRequestHeldBackByAFailedAttempt() {
        String brand = brand();
        GATEWAY.resetAll();
        GATEWAY.stubFor(
                post(urlEqualTo("/sms")).atPriority(10).willReturn(aResponse().withStatus(202)));
        GATEWAY.stubFor(post(urlEqualTo("/sms"))
                .atPriority(1)
                .withRequestBody(containing(brand))
                .inScenario("held back")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        AttentiveClient attentive = new AttentiveClient(workspace);
        String unit = attentive.unit("TEXT", "MARKETING", "en", "US", false);
        ApiClient.Response subscribed = attentive.post(
                "subscriptions", ApiClient.json(Map.of("user", Map.of("phone", PHONE), "signUpSourceId", unit)));
        assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(202);
        assertThat(awaitTexts(1).getFirst().getBodyAsString()).contains("Reply Y");
        // its retry is pushed a few seconds out, so that what the test does next happens before it on a slow machine
        return await(() -> jdbc.sql("update messages set next_attempt_at = now() + interval '4 seconds'"
                        + " where workspace_id = :w and status = 'QUEUED' and template = 'CONFIRMATION_REQUEST'"
                        + " and attempts = 1 returning id")
                .param("w", workspace.id())
                .query(Long.class)
                .optional()
                .orElse(null));
    }

    /** Waits until the message's retry was due, and one poll more. */
    private void awaitPastRetry(long message) {
        java.time.Instant due = ((java.sql.Timestamp) message(message).get("next_attempt_at")).toInstant();
        await(() -> java.time.Instant.now().isAfter(due.plusSeconds(1)) ? true : null);
    }

    private Map<String, Object> message(long id) {
        return jdbc.sql("select status, attempts, last_error, next_attempt_at from messages"
                        + " where workspace_id = :w and id = :id")
                .param("w", workspace.id())
                .param("id", id)
                .query()
                .singleRow();
    }

    private String brand() {
        return jdbc.sql("select name from workspaces where id = :w")
                .param("w", workspace.id())
                .query(String.class)
                .single();
    }

    private boolean eligible() {
        return workspace
                .eligibility("channel=SMS&topic=marketing&phone=%2B19148440001")
                .get("eligible")
                .asBoolean();
    }

    /** The texts of this test's workspace (its name is their brand): the queue may hold other tests' texts. */
    private List<LoggedRequest> awaitTexts(int count) {
        String brand = brand();
        return await(() -> {
            List<LoggedRequest> requests = GATEWAY.findAll(postRequestedFor(urlEqualTo("/sms"))).stream()
                    .filter(request -> request.getBodyAsString().contains(brand))
                    .toList();
            return requests.size() >= count ? requests : null;
        });
    }

    private static <T> T await(Supplier<T> condition) {
        return Await.until(Duration.ofSeconds(15), Duration.ofMillis(50), condition);
    }
}
