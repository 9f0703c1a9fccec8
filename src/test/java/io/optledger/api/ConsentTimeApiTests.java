package io.optledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Only consent actions move a subscription's consent time: a keep, a delete, a pause or its end received after an
 * opt-in never makes an opt-out dated between them stale (finding 4 of issue 12).
 */
class ConsentTimeApiTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aKeepDeletePauseOrResumeDoesNotMakeAnEarlierDatedOptOutStale() {
        Map<String, List<String>> sequences = Map.of(
                "keep", List.of("KEEP"),
                "delete", List.of("DELETE"),
                "suspend", List.of("SUSPEND"),
                "resume", List.of("SUSPEND", "RESUME"));
        int i = 0;
        for (Map.Entry<String, List<String>> sequence : sequences.entrySet()) {
            long contact = workspace.contact("time" + i + "@example.com", "+1415555030" + i++);
            assertThat(outcome(change(contact, "OPT_IN", ago(10)))).isEqualTo("created");
            for (String action : sequence.getValue()) {
                assertThat(outcome(change(contact, action, ago(1))))
                        .as(sequence.getKey())
                        .isIn("changed", "unchanged");
            }

            // the person opted out five minutes ago, after the opt-in; the message arrives last
            assertThat(outcome(change(contact, "OPT_OUT", ago(5))))
                    .as(sequence.getKey())
                    .isEqualTo("changed");

            assertThat(workspace
                            .eligibility("channel=EMAIL&topic=marketing&contactId=" + contact)
                            .get("eligible")
                            .asBoolean())
                    .as(sequence.getKey())
                    .isFalse();
            assertThat(workspace.verify(contact).get("valid").asBoolean())
                    .as(sequence.getKey())
                    .isTrue();
        }
    }

    @Test
    void anOptOutDatedBeforeTheLastOptInStaysStale() {
        long contact = workspace.contact("stale@example.com", "+14155550320");
        change(contact, "OPT_IN", ago(2));
        change(contact, "KEEP", ago(1));

        assertThat(outcome(change(contact, "OPT_OUT", ago(5)))).isEqualTo("stale");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void theMigrationSetsStatesWrittenUnderTheOldRuleToWhatTheLedgerReplaysTo() throws Exception {
        long contact = workspace.contact("migrated@example.com", "+14155550330");
        change(contact, "OPT_IN", ago(10));
        change(contact, "KEEP", ago(1));
        // before V15 a keep moved the state's times to its own
        jdbc.sql("""
                        update subscriptions s set occurred_at = e.occurred_at, updated_at = e.recorded_at
                        from consent_events e
                        where e.workspace_id = s.workspace_id and e.contact_id = s.contact_id and e.action = 'KEEP'
                          and s.contact_id = :contact
                        """).param("contact", contact).update();
        assertThat(workspace.verify(contact).at("/firstMismatch/kind").asString())
                .isEqualTo("STATE_MISMATCH");

        String migration = new String(
                new ClassPathResource("db/migration/V15__consent_recompute_consent_time.sql").getContentAsByteArray(),
                StandardCharsets.UTF_8);
        jdbc.sql(migration).update();

        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        assertThat(outcome(change(contact, "OPT_OUT", ago(5)))).isEqualTo("changed");
    }

    private ApiClient.Response change(long contact, String action, String occurredAt) {
        Map<String, Object> item = new HashMap<>(Map.of(
                "contactId",
                contact,
                "channel",
                "EMAIL",
                "topic",
                "marketing",
                "action",
                action,
                "occurredAt",
                occurredAt));
        return workspace.change(item);
    }

    private static String ago(int minutes) {
        return Instant.now().minus(minutes, ChronoUnit.MINUTES).toString();
    }

    private static String outcome(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().at("/results/0/outcome").asString();
    }
}
