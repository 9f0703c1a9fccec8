package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Problems;
import io.optledger.support.WorkspaceApiTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The guard against server-side request forgery, on (the default): loopback, private, link-local and cloud-metadata
 * destinations are refused when an endpoint is created, and again when a delivery connects, after resolving the host.
 */
class WebhookGuardTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    private Receiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = Receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void privateDestinationsAreRefusedWhenAnEndpointIsCreatedOrChanged() {
        for (String url : List.of(
                receiver.url("/hooks"),
                "http://169.254.169.254/latest/meta-data/",
                "http://localhost:8080/hooks",
                "http://[::1]/hooks",
                "http://[::ffff:127.0.0.1]/hooks",
                "http://10.1.2.3/hooks",
                "http://192.168.0.10/hooks",
                "http://172.16.5.4/hooks",
                "http://100.100.100.200/latest",
                "http://[fd00:ec2::254]/latest",
                "http://0.0.0.0:8080/",
                "https://2130706433/hooks")) {
            ApiClient.Response refused = create(url);
            Problems.assertProblem(refused, 400, "invalid-request");
            assertThat(refused.json().at("/errors/0/field").asString()).as(url).isEqualTo("url");
            assertThat(refused.json().at("/errors/0/message").asString())
                    .as(url)
                    .startsWith("refused: ")
                    .endsWith("webhooks may not reach private networks");
        }
        assertThat(create("http://localhost:8080/hooks")
                        .json()
                        .at("/errors/0/message")
                        .asString())
                .isEqualTo("refused: localhost resolves to 127.0.0.1, a loopback address; webhooks may not reach"
                        + " private networks");
        assertThat(create("http://169.254.169.254/")
                        .json()
                        .at("/errors/0/message")
                        .asString())
                .contains("a cloud metadata address");
        for (String url : List.of(
                "ftp://192.0.2.10/hooks",
                "http://user:secret@192.0.2.10/hooks",
                "http:///hooks",
                "not a url",
                "https://192.0.2.10/hooks#part",
                "http://no-such-host.invalid/hooks")) {
            Problems.assertProblem(create(url), 400, "invalid-request");
        }
        assertThat(api.get("/v1/webhooks", workspace.adminKey()).json().get("webhooks"))
                .isEmpty();

        ApiClient.Response created = create("https://192.0.2.10/hooks");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asString();
        Problems.assertProblem(
                api.patch("/v1/webhooks/" + id, workspace.adminKey(), ApiClient.json(Map.of("url", receiver.url("/")))),
                400,
                "invalid-request");
        assertThat(api.get("/v1/webhooks/" + id, workspace.adminKey())
                        .json()
                        .get("url")
                        .asString())
                .isEqualTo("https://192.0.2.10/hooks");
    }

    @Test
    void aHostThatResolvesPrivatelyAtDeliveryIsRefusedThenAndNothingIsSent() throws Exception {
        ApiClient.Response created = create("https://192.0.2.10/hooks");
        String id = created.json().get("id").asString();
        // as if its name had come to resolve to this machine since it was checked
        pointAt(id, receiver.url("/hooks"));
        long contact = workspace.contact("guard@example.com", "+14155556001");
        assertThat(workspace
                        .change(Map.of(
                                "contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"))
                        .status())
                .isEqualTo(200);
        JsonNode attempt = awaitFirstAttempt(id);
        assertThat(attempt.get("statusCode").isNull()).isTrue();
        assertThat(attempt.get("error").asString())
                .isEqualTo("refused: 127.0.0.1 is a loopback address; webhooks may not reach private networks");

        pointAt(id, receiver.url("/hooks").replace("127.0.0.1", "localhost"));
        JsonNode ping = api.post("/v1/webhooks/" + id + "/test", workspace.adminKey(), "")
                .json();
        assertThat(ping.get("status").asString()).isEqualTo("FAILED");
        assertThat(ping.at("/attempts/0/error").asString())
                .startsWith("refused: localhost resolves to 127.0.0.1, a loopback address");
        assertThat(receiver.received()).isEmpty();
    }

    private void pointAt(String id, String url) {
        jdbc.sql("update webhook_endpoints set url = :url where id = :id")
                .param("url", url)
                .param("id", id)
                .update();
    }

    private JsonNode awaitFirstAttempt(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode deliveries = api.get("/v1/webhooks/" + id + "/deliveries", workspace.adminKey())
                    .json()
                    .get("deliveries");
            if (!deliveries.isEmpty() && !deliveries.at("/0/attempts").isEmpty()) {
                return deliveries.at("/0/attempts/0");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no attempt within 20 s");
    }

    private ApiClient.Response create(String url) {
        return api.post("/v1/webhooks", workspace.adminKey(), ApiClient.json(Map.of("url", url)));
    }
}
