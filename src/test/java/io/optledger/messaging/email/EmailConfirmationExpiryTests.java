package io.optledger.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Await;
import io.optledger.support.TestWorkspace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A pending email opt-in expires once its confirmation window has passed, by an EXPIRE on the ledger; one confirmed or
 * withdrawn in time does not. The window is two seconds here (a context of its own), seven days by default.
 */
@ApiTest
class EmailConfirmationExpiryTests {

    private static final Duration WINDOW = Duration.ofSeconds(2);

    @LocalServerPort
    int port;

    private TestWorkspace workspace;

    @DynamicPropertySource
    static void window(DynamicPropertyRegistry registry) {
        registry.add("optledger.data-dir", () -> "target/test-data-email-expiry");
        registry.add("optledger.email.confirmation-days", () -> WINDOW.toSeconds() + "s");
        registry.add("optledger.email.expiry-interval", () -> "200ms");
        registry.add("optledger.messaging.poll-interval", () -> "100ms");
    }

    @BeforeEach
    void setUp() {
        ApiClient api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
        ApiClient.Response topic = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(
                        Map.of("key", "news", "name", "News", "kind", "MARKETING", "doubleOptIn", List.of("EMAIL"))));
        assertThat(topic.status()).as(topic.text()).isEqualTo(201);
    }

    @Test
    void anUnconfirmedOptInExpiresOnTheLedgerOnceItsWindowHasPassed() {
        long contact = workspace.contact(address(), "+14155550101");
        Instant requested = Instant.now();
        JsonNode pending = change(contact, "REQUEST_OPT_IN");
        assertThat(pending.at("/subscription/status").asString()).isEqualTo("PENDING");

        JsonNode expiry = await(() -> {
            JsonNode events = workspace.events(contact);
            return events.size() == 2 ? events.get(1) : null;
        });
        assertThat(Instant.now()).isAfterOrEqualTo(requested.plus(WINDOW));
        assertThat(expiry.get("action").asString()).isEqualTo("EXPIRE");
        assertThat(expiry.get("outcome").asString()).isEqualTo("CHANGED");
        assertThat(expiry.get("from").asString()).isEqualTo("PENDING");
        assertThat(expiry.get("to").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(expiry.get("source").asString()).isEqualTo(ConfirmationExpiry.SOURCE);
        // dated when it lapsed: the request's time plus the window
        Instant requestedAt =
                Instant.parse(workspace.events(contact).get(0).get("occurredAt").asString());
        assertThat(Instant.parse(expiry.get("occurredAt").asString())).isEqualTo(requestedAt.plus(WINDOW));
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();

        // too late to confirm; an opt-in given since still applies
        assertThat(change(contact, "CONFIRM").get("reason").asString()).isEqualTo("not_pending");
        assertThat(change(contact, "OPT_IN").at("/subscription/status").asString())
                .isEqualTo("SUBSCRIBED");
    }

    @Test
    void anOptInConfirmedOrWithdrawnInTimeIsNotExpired() throws InterruptedException {
        long confirmed = workspace.contact(address(), "+14155550901");
        long withdrawn = workspace.contact(address(), "+14155550902");
        change(confirmed, "REQUEST_OPT_IN");
        change(withdrawn, "REQUEST_OPT_IN");
        assertThat(change(confirmed, "CONFIRM").at("/subscription/status").asString())
                .isEqualTo("SUBSCRIBED");
        assertThat(change(withdrawn, "OPT_OUT").at("/subscription/status").asString())
                .isEqualTo("UNSUBSCRIBED");

        Thread.sleep(WINDOW.multipliedBy(2).plusSeconds(1).toMillis());

        assertThat(workspace.events(confirmed).findValuesAsString("action"))
                .containsExactly("REQUEST_OPT_IN", "CONFIRM");
        assertThat(workspace.events(withdrawn).findValuesAsString("action"))
                .containsExactly("REQUEST_OPT_IN", "OPT_OUT");
    }

    private JsonNode change(long contact, String action) {
        ApiClient.Response response =
                workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "news", "action", action));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().at("/results/0");
    }

    private static String address() {
        return "p" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
    }

    private static <T> T await(Supplier<T> condition) {
        return Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), condition);
    }
}
