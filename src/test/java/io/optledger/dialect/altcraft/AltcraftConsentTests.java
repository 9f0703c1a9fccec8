package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Issue 12, finding 3: Altcraft's pauses never invent consent, and suspend_all/unsuspend_all undo only each other. */
class AltcraftConsentTests extends WorkspaceApiTest {

    private AltcraftClient altcraft;
    private String ada;

    @BeforeEach
    void setUp() {
        altcraft = AltcraftClient.of(workspace);
        altcraft.database(1);
        altcraft.resource(1, "news", List.of("email"), List.of());
        ada = altcraft.profile(1, Map.of("email", "ada@example.com"));
    }

    @Test
    void suspendingAnOptedOutSubscriptionIsRefusedAndWritesNoOptIn() {
        set("subscribed");
        set("unsubscribed");

        ApiClient.Response refused = altcraft.call("subscriptions/set", fields("suspended"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.json().get("error").asInt()).isEqualTo(10);
        altcraft.data("subscriptions/unsuspend_all", Map.of("db_id", 1));

        assertThat(eligible()).isFalse();
        JsonNode events = workspace.events(Long.parseLong(ada));
        assertThat(events.findValuesAsString("action")).containsExactly("OPT_IN", "OPT_OUT", "SUSPEND");
        assertThat(events.get(2).get("outcome").asString()).isEqualTo("REJECTED");
    }

    @Test
    void aPendingConfirmationCannotBePausedIntoASubscription() {
        set("unconfirmed");

        ApiClient.Response refused = altcraft.call("subscriptions/set", fields("suspended"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        altcraft.data("subscriptions/unsuspend_all", Map.of("db_id", 1));

        assertThat(eligible()).isFalse();
        assertThat(workspace.events(Long.parseLong(ada)).findValuesAsString("action"))
                .doesNotContain("OPT_IN");
    }

    @Test
    void unsuspendAllLeavesAPauseThePersonAskedFor() {
        set("subscribed");
        Instant inThirtyDays = Instant.now().plusSeconds(30L * 24 * 3600);
        pause(inThirtyDays);

        assertThat(altcraft.data("subscriptions/unsuspend_all", Map.of("db_id", 1))
                        .get("updated")
                        .asLong())
                .isZero();
        assertThat(eligible()).isFalse();
    }

    @Test
    void suspendAllPausesWhatReceivesAgainAndUnsuspendAllUndoesOnlyThat() throws InterruptedException {
        set("subscribed");
        pause(Instant.now().plusMillis(800));
        Thread.sleep(1_200);
        assertThat(eligible()).as("the pause has ended").isTrue();

        assertThat(altcraft.data("subscriptions/suspend_all", Map.of("db_id", 1))
                        .get("updated")
                        .asLong())
                .isEqualTo(1);
        assertThat(eligible()).isFalse();

        assertThat(altcraft.data("subscriptions/unsuspend_all", Map.of("db_id", 1))
                        .get("updated")
                        .asLong())
                .isEqualTo(1);
        assertThat(eligible()).isTrue();
    }

    @Test
    void aPauseGivenAfterSuspendAllIsNotUndoneByUnsuspendAll() {
        set("subscribed");
        altcraft.data("subscriptions/suspend_all", Map.of("db_id", 1));
        pause(Instant.now().plusSeconds(3_600));

        assertThat(altcraft.data("subscriptions/unsuspend_all", Map.of("db_id", 1))
                        .get("updated")
                        .asLong())
                .isZero();
        assertThat(eligible()).isFalse();
    }

    private void set(String status) {
        altcraft.data("subscriptions/set", fields(status));
    }

    private Map<String, Object> fields(String status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.putAll(Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "email"));
        fields.putAll(Map.of("email", "ada@example.com", "status", status));
        return fields;
    }

    /** A pause until a time, asked through the native API as a preference page would. */
    private void pause(Instant until) {
        ApiClient.Response response = workspace.change(Map.of(
                "email",
                "ada@example.com",
                "channel",
                "EMAIL",
                "topic",
                "news",
                "action",
                "SUSPEND",
                "suspendedUntil",
                until.toString()));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode result = response.json().get("results").get(0);
        assertThat(result.get("outcome").asString()).as(response.text()).isEqualTo("changed");
    }

    private boolean eligible() {
        return workspace
                .eligibility("channel=EMAIL&topic=news&email=ada@example.com")
                .get("eligible")
                .asBoolean();
    }
}
