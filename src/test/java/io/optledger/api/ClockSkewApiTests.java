package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A caller's clock cannot outvote a withdrawal: an opt-in dated ahead of the server's clock (within the allowed skew)
 * never makes a later opt-out, suspension, delete, STOP or suppression stale, and a time beyond the skew or out of
 * range is a 400 naming the field, with nothing written.
 */
class ClockSkewApiTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyNativeWithdrawalAfterAnOptInDatedAheadOfTheClockTakesEffect() {
        List<String> actions = List.of("OPT_OUT", "SUSPEND", "DELETE");
        for (int i = 0; i < actions.size(); i++) {
            String action = actions.get(i);
            long contact = workspace.contact("withdraw" + i + "@example.com", "+1415555011" + i);
            String skewed = minutesAhead(2);
            assertThat(outcome(change(contact, "OPT_IN", Map.of("occurredAt", skewed))))
                    .isEqualTo("created");
            assertThat(eligible(contact, "EMAIL")).isTrue();

            assertThat(outcome(change(contact, action, Map.of()))).as(action).isEqualTo("changed");

            assertThat(eligible(contact, "EMAIL")).as(action).isFalse();
            JsonNode events = workspace.events(contact);
            assertThat(events.findValuesAsString("outcome")).containsExactly("CREATED", "CHANGED");
            // both times are on the ledger: the caller's account and the receipt
            assertThat(events.get(0).get("occurredAt").asString()).isEqualTo(skewed);
            assertThat(Instant.parse(events.get(0).get("recordedAt").asString()))
                    .isBefore(Instant.parse(skewed));
            assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        }
    }

    @Test
    void aBackDatedOptOutOlderThanAnOptInStaysStale() {
        long contact = workspace.contact("late@example.com", "+14155550150");
        change(contact, "OPT_IN", Map.of());
        String lastWeek = Instant.now().minus(7, ChronoUnit.DAYS).toString();

        assertThat(outcome(change(contact, "OPT_OUT", Map.of("occurredAt", lastWeek))))
                .isEqualTo("stale");
        assertThat(eligible(contact, "EMAIL")).isTrue();
    }

    @Test
    void anSmsStopAfterAnOptInDatedAheadOfTheClockOptsTheNumberOut() {
        long contact = workspace.contact("stop@example.com", "+14155550160");
        ApiClient.Response optIn = workspace.change(Map.of(
                "contactId",
                contact,
                "channel",
                "SMS",
                "topic",
                "marketing",
                "action",
                "OPT_IN",
                "occurredAt",
                minutesAhead(2)));
        assertThat(outcome(optIn)).isEqualTo("created");
        assertThat(eligible(contact, "SMS")).isTrue();

        ApiClient.Response stop =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+14155550160\", \"body\": \"STOP\"}");

        assertThat(stop.status()).as(stop.text()).isEqualTo(200);
        assertThat(stop.json().get("action").asString()).isEqualTo("opted_out");
        assertThat(stop.json().get("changed").asInt()).isEqualTo(1);
        assertThat(eligible(contact, "SMS")).isFalse();
    }

    @Test
    void aSuppressionAfterAnOptInDatedAheadOfTheClockMakesTheAddressIneligible() {
        long contact = workspace.contact("bounce@example.com", "+14155550170");
        change(contact, "OPT_IN", Map.of("occurredAt", minutesAhead(2)));

        ApiClient.Response suppressed = api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"EMAIL\",\"address\":\"bounce@example.com\",\"reason\":\"BOUNCE\"}");

        assertThat(suppressed.status()).as(suppressed.text()).isEqualTo(201);
        assertThat(eligible(contact, "EMAIL")).isFalse();
    }

    @Test
    void aTimeBeyondTheSkewIsRefusedWholeAndNothingIsWritten() {
        long contact = workspace.contact("ahead@example.com", "+14155550180");
        for (String ahead : List.of(minutesAhead(10), "2100-01-01T00:00:00Z")) {
            ApiClient.Response refused = api.post(
                    "/v1/subscriptions/changes",
                    workspace.adminKey(),
                    ApiClient.json(Map.of(
                            "items",
                            List.of(
                                    item(contact, "OPT_IN", Map.of()),
                                    item(contact, "OPT_IN", Map.of("occurredAt", ahead))))));

            assertProblem(refused, 400, "invalid-request");
            assertThat(refused.json().at("/errors/0/field").asString()).isEqualTo("items[1].occurredAt");
            assertThat(refused.json().at("/errors/0/message").asString()).contains("ahead of the server's clock");
        }
        assertThat(workspace.events(contact)).isEmpty();
        assertThat(eligible(contact, "EMAIL")).isFalse();
    }

    @Test
    void timesOutOfRangeAreRefusedNamingTheField() {
        long contact = workspace.contact("range@example.com", "+14155550190");
        for (String time : List.of(
                "0000-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z",
                "1500-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999Z",
                "+999999999-12-31T23:59:59Z")) {
            ApiClient.Response occurred = change(contact, "OPT_IN", Map.of("occurredAt", time));
            assertProblem(occurred, 400, "invalid-request");
            assertThat(occurred.json().at("/errors/0/field").asString())
                    .as(time)
                    .isEqualTo("items[0].occurredAt");

            ApiClient.Response until = change(contact, "SUSPEND", Map.of("suspendedUntil", time));
            assertProblem(until, 400, "invalid-request");
            assertThat(until.json().at("/errors/0/field").asString()).as(time).isEqualTo("items[0].suspendedUntil");
        }
        // times are text: a number (which Jackson would read as epoch seconds, 1e300 as 1970) or an empty text is
        // refused
        for (Object notText : List.of(1.5e300, 1_700_000_000, "", true)) {
            ApiClient.Response refused = change(contact, "OPT_IN", Map.of("occurredAt", notText));
            assertProblem(refused, 400, "invalid-request");
            assertThat(refused.json().get("detail").asString())
                    .as("%s", notText)
                    .contains("items[0].occurredAt");
        }
        ApiClient.Response tooLate = change(contact, "SUSPEND", Map.of("suspendedUntil", "+10000-01-01T00:00:00Z"));
        assertProblem(tooLate, 400, "invalid-request");
        assertThat(tooLate.json().at("/errors/0/field").asString()).isEqualTo("items[0].suspendedUntil");
        assertThat(workspace.events(contact)).isEmpty();
    }

    @Test
    void timesRoundTripAtMicrosecondPrecisionAndTheLedgerStillVerifies() {
        long contact = workspace.contact("micro@example.com", "+14155550200");
        change(contact, "OPT_IN", Map.of("occurredAt", "1970-01-01T00:00:00Z"));
        change(contact, "OPT_IN", Map.of("occurredAt", "2026-01-02T03:04:05.123456Z"));
        // nanoseconds are truncated to the microsecond PostgreSQL keeps
        change(contact, "OPT_IN", Map.of("occurredAt", "2026-01-02T03:04:05.654321987Z"));
        change(
                contact,
                "SUSPEND",
                Map.of("occurredAt", "2026-01-02T03:04:06.000001Z", "suspendedUntil", "9999-12-31T23:59:59.999999Z"));

        JsonNode events = workspace.events(contact);
        assertThat(events.findValuesAsString("occurredAt"))
                .containsExactly(
                        "1970-01-01T00:00:00Z",
                        "2026-01-02T03:04:05.123456Z",
                        "2026-01-02T03:04:05.654321Z",
                        "2026-01-02T03:04:06.000001Z");
        assertThat(events.get(3).get("suspendedUntil").asString()).isEqualTo("9999-12-31T23:59:59.999999Z");
        JsonNode subscription = api.get("/v1/contacts/" + contact + "/subscriptions", workspace.adminKey())
                .json()
                .findValue("suspendedUntil");
        assertThat(subscription.asString()).isEqualTo("9999-12-31T23:59:59.999999Z");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void verificationChecksTheTimeAStateWasReceived() {
        long contact = workspace.contact("received@example.com", "+14155550210");
        change(contact, "OPT_IN", Map.of("occurredAt", minutesAhead(2)));
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();

        // the receipt decides whether a withdrawal applies: moved, it no longer matches the ledger's recordedAt
        jdbc.sql("update subscriptions set updated_at = updated_at + interval '1 hour' where contact_id = :id")
                .param("id", contact)
                .update();

        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.at("/firstMismatch/kind").asString()).isEqualTo("STATE_MISMATCH");
    }

    /** A time ahead of the clock, in milliseconds as a client would send it. */
    private static String minutesAhead(int minutes) {
        return Instant.now()
                .plus(minutes, ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.MILLIS)
                .toString();
    }

    private ApiClient.Response change(long contact, String action, Map<String, Object> extra) {
        return workspace.change(item(contact, action, extra));
    }

    private static Map<String, Object> item(long contact, String action, Map<String, Object> extra) {
        Map<String, Object> item =
                new HashMap<>(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action));
        item.putAll(extra);
        return item;
    }

    private static String outcome(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().at("/results/0/outcome").asString();
    }

    private boolean eligible(long contact, String channel) {
        return workspace
                .eligibility("channel=" + channel + "&topic=marketing&contactId=" + contact)
                .get("eligible")
                .asBoolean();
    }
}
