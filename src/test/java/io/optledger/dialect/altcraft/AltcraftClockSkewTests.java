package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Altcraft's {@code date} cannot outvote a withdrawal: after a subscription dated ahead of the server's clock, an
 * unsubscribe, a suspension, a delete or a suspend_all takes effect; a date beyond the skew or out of range is error 5
 * naming the field, with nothing written.
 */
class AltcraftClockSkewTests extends WorkspaceApiTest {

    private AltcraftClient altcraft;

    @BeforeEach
    void setUp() {
        altcraft = AltcraftClient.of(workspace);
        altcraft.database(1);
        altcraft.resource(1, "news", List.of("email"), List.of());
    }

    @Test
    void everyWithdrawalAfterASubscriptionDatedAheadOfTheClockTakesEffect() {
        Map<String, Map<String, Object>> withdrawals = new LinkedHashMap<>();
        withdrawals.put("set unsubscribed", Map.of("status", "unsubscribed"));
        withdrawals.put("set suspended", Map.of("status", "suspended"));
        withdrawals.put("delete", Map.of());
        withdrawals.put("suspend_all", Map.of());
        int n = 0;
        for (Map.Entry<String, Map<String, Object>> withdrawal : withdrawals.entrySet()) {
            String email = "reader" + n++ + "@example.com";
            String profile = altcraft.profile(1, Map.of("email", email));
            assertThat(altcraft.data(
                                    "subscriptions/set",
                                    set(profile, email, Map.of("status", "subscribed", "date", ahead(2))))
                            .get("action")
                            .asString())
                    .isEqualTo("subscribed");
            assertThat(eligible(email)).isTrue();

            switch (withdrawal.getKey()) {
                case "delete" -> altcraft.data("subscriptions/delete", set(profile, email, Map.of()));
                case "suspend_all" ->
                    assertThat(altcraft.data("subscriptions/suspend_all", Map.of("db_id", 1, "resource_id", 1))
                                    .get("updated")
                                    .asLong())
                            .isEqualTo(1);
                default -> altcraft.data("subscriptions/set", set(profile, email, withdrawal.getValue()));
            }

            assertThat(eligible(email)).as(withdrawal.getKey()).isFalse();
            assertThat(workspace.verify(Long.parseLong(profile)).get("valid").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void aDateBeyondTheSkewIsRefusedAndNothingIsWritten() {
        String profile = altcraft.profile(1, Map.of("email", "ahead@example.com"));
        for (String date : List.of(ahead(10), "2100-01-01T00:00:00Z")) {
            ApiClient.Response refused = altcraft.call(
                    "subscriptions/set",
                    set(profile, "ahead@example.com", Map.of("status", "subscribed", "date", date)));
            assertError(refused, "date");
            assertThat(refused.json().get("error_text").asString()).contains("ahead of the server's clock");
        }
        assertThat(workspace.events(Long.parseLong(profile))).isEmpty();
        assertThat(eligible("ahead@example.com")).isFalse();
    }

    @Test
    void datesOutOfRangeAreRefusedNamingTheField() {
        String profile = altcraft.profile(1, Map.of("email", "range@example.com"));
        for (String date : List.of(
                "0000-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z",
                "1500-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "+999999999-12-31T23:59:59-18:00")) {
            assertError(
                    altcraft.call(
                            "subscriptions/set",
                            set(profile, "range@example.com", Map.of("status", "subscribed", "date", date))),
                    "date");
            for (String filter : List.of("date_from", "date_to")) {
                assertError(
                        altcraft.call(
                                "subscribers/history_get", Map.of("db_id", 1, "profile_id", profile, filter, date)),
                        filter);
            }
        }
        ApiClient.Response xml = altcraft.xml("subscriptions/set", """
                <xml><token>%s</token><db_id>1</db_id><profile_id>%s</profile_id><resource_id>1</resource_id>
                <channel>email</channel><email>range@example.com</email><date>+999999999-12-31T23:59:59Z</date></xml>
                """.formatted(workspace.adminKey(), profile));
        assertThat(xml.status()).as(xml.text()).isEqualTo(400);
        assertThat(xml.header("Content-Type")).startsWith("application/xml");
        assertThat(AltcraftClient.xmlTree(xml.text()).get("error").asString()).isEqualTo("5");
        assertThat(AltcraftClient.xmlTree(xml.text()).get("error_text").asString())
                .contains("date");
        assertThat(workspace.events(Long.parseLong(profile))).isEmpty();
    }

    @Test
    void aDateRoundTripsAtMicrosecondPrecision() {
        String profile = altcraft.profile(1, Map.of("email", "micro@example.com"));
        altcraft.data(
                "subscriptions/set",
                set(
                        profile,
                        "micro@example.com",
                        Map.of("status", "subscribed", "date", "2026-01-02T03:04:05.123456789+03:00")));

        assertThat(altcraft.data("subscriptions/get", set(profile, "micro@example.com", Map.of()))
                        .get("date")
                        .asString())
                .isEqualTo("2026-01-02T00:04:05.123456Z");
        assertThat(workspace.verify(Long.parseLong(profile)).get("valid").asBoolean())
                .isTrue();
    }

    private static String ahead(int minutes) {
        return Instant.now()
                .plus(minutes, ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.MILLIS)
                .toString();
    }

    private static Map<String, Object> set(String profile, String email, Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>(
                Map.of("db_id", 1, "profile_id", profile, "resource_id", 1, "channel", "email", "email", email));
        fields.putAll(extra);
        return fields;
    }

    private boolean eligible(String email) {
        return workspace
                .eligibility("channel=EMAIL&topic=news&email=" + email)
                .get("eligible")
                .asBoolean();
    }

    private static void assertError(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("error").asInt()).as(response.text()).isEqualTo(5);
        assertThat(response.json().get("error_text").asString()).contains(field);
        assertThat(response.text()).doesNotContain("Exception");
    }
}
