package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.optledger.consent.GroupCommitSettings;
import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.HeldCommit;
import io.optledger.support.WorkspaceApiTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * subscriptions/set and profiles/message_unsub commit a single change with the others that arrive while a commit is in
 * flight (the native single writes' group commit), each answered as if alone: its own data, or its own error.
 */
class AltcraftGroupCommitTests extends WorkspaceApiTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Autowired
    GroupCommitSettings groupCommit;

    private AltcraftClient altcraft;
    private String ada;
    private String bob;
    private String cyd;
    private String dan;

    @BeforeEach
    void setUp() {
        altcraft = AltcraftClient.of(workspace);
        altcraft.database(1);
        altcraft.resource(1, "news", List.of("email"), List.of());
        ada = altcraft.profile(1, Map.of("email", "ada@example.com"));
        bob = altcraft.profile(1, Map.of("email", "bob@example.com"));
        cyd = altcraft.profile(1, Map.of("email", "cyd@example.com"));
        dan = altcraft.profile(1, Map.of("email", "dan@example.com"));
        altcraft.data("subscriptions/set", set(cyd, "cyd@example.com", "subscribed"));
        altcraft.data("subscriptions/set", set(cyd, "cyd@example.com", "unsubscribed"));
        altcraft.data("subscriptions/set", set(dan, "dan@example.com", "subscribed"));
    }

    @Test
    void setsAndAWithdrawalSentDuringACommitCommitTogetherEachWithItsOwnAnswer() throws Exception {
        Map<String, Future<ApiClient.Response>> answers = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, groupCommit, pool)) {
            answers.put(
                    ada,
                    pool.submit(() -> altcraft.call("subscriptions/set", set(ada, "ada@example.com", "subscribed"))));
            held.awaitQueued(1);
            answers.put(
                    bob,
                    pool.submit(() -> altcraft.call("subscriptions/set", set(bob, "bob@example.com", "subscribed"))));
            held.awaitQueued(2);
            // a pause of an opted-out subscription: refused by the consent rules, and only this call
            answers.put(
                    cyd,
                    pool.submit(() -> altcraft.call("subscriptions/set", set(cyd, "cyd@example.com", "suspended"))));
            held.awaitQueued(3);
            answers.put(
                    dan,
                    pool.submit(() -> altcraft.call(
                            "profiles/message_unsub", Map.of("db_id", 1, "profile_id", dan, "resource_id", 1))));
            held.awaitQueued(4);
            held.release();

            // the same bytes a set answers alone
            Golden.assertBody(answers.get(ada).get(), "dialect/altcraft/set-seed.response.json", Map.of());
            Golden.assertBody(answers.get(bob).get(), "dialect/altcraft/set-seed.response.json", Map.of());
            ApiClient.Response refused = answers.get(cyd).get();
            assertThat(refused.status()).as(refused.text()).isEqualTo(409);
            assertThat(refused.json().get("error").asInt()).isEqualTo(10);
            ApiClient.Response unsubscribed = answers.get(dan).get();
            assertThat(unsubscribed.status()).as(unsubscribed.text()).isEqualTo(200);
            assertThat(unsubscribed.json().get("profile_id").asString()).isEqualTo(dan);
            // each leader alone, then the four queued behind them in one commit
            assertThat(held.groups()).isEqualTo(held.leaders() + 1);
            assertThat(held.requests()).isEqualTo(held.leaders() + 4);
        }
        for (String profile : List.of(ada, bob)) {
            assertThat(workspace.events(Long.parseLong(profile)).findValuesAsString("action"))
                    .containsExactly("OPT_IN");
        }
        assertThat(workspace.events(Long.parseLong(cyd)).findValuesAsString("outcome"))
                .containsExactly("CREATED", "CHANGED", "REJECTED");
        assertThat(workspace.events(Long.parseLong(dan)).findValuesAsString("action"))
                .containsExactly("OPT_IN", "OPT_OUT");
        assertThat(altcraft.data("subscriptions/get", get(dan, "dan@example.com"))
                        .get("status")
                        .asString())
                .isEqualTo("unsubscribed");
    }

    @Test
    void twoSetsOfOneNewSubscriptionInOneCommitEachAnswerWhatTheirChangeMet() throws Exception {
        String eve = altcraft.profile(1, Map.of("email", "eve@example.com"));
        ApiClient.Response created;
        ApiClient.Response changed;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, groupCommit, pool)) {
            Future<ApiClient.Response> first =
                    pool.submit(() -> altcraft.call("subscriptions/set", set(eve, "eve@example.com", "subscribed")));
            held.awaitQueued(1);
            Future<ApiClient.Response> second =
                    pool.submit(() -> altcraft.call("subscriptions/set", set(eve, "eve@example.com", "unsubscribed")));
            held.awaitQueued(2);
            held.release();
            created = first.get();
            changed = second.get();
        }
        // both were sent before either committed; the second, applied after the first in the same commit, met the
        // subscription the first made (read under the profile's lock, not before the queue)
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(created.json().at("/data/action").asString()).isEqualTo("subscribed");
        assertThat(created.json().at("/data/is_new_subscription").asBoolean()).isTrue();
        assertThat(changed.json().at("/data/action").asString()).isEqualTo("unsubscribed");
        assertThat(changed.json().at("/data/is_new_subscription").asBoolean()).isFalse();
        assertThat(workspace.events(Long.parseLong(eve)).findValuesAsString("action"))
                .containsExactly("OPT_IN", "OPT_OUT");
    }

    @Test
    void setsNamingNoProfileOfTheDatabaseFailAloneInTheirCommitAndWriteNothing() throws Exception {
        altcraft.database(2);
        String zed = altcraft.profile(2, Map.of("email", "zed@example.com"));
        String eve = altcraft.profile(1, Map.of("email", "eve@example.com"));
        String unknown = Long.toString(Long.parseLong(eve) + 1_000_000);
        Map<String, Future<ApiClient.Response>> answers = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, groupCommit, pool)) {
            // a profile of database 2 named in database 1, a contact id no contact has, and a good one between them
            answers.put(
                    zed,
                    pool.submit(() -> altcraft.call("subscriptions/set", set(zed, "zed@example.com", "subscribed"))));
            held.awaitQueued(1);
            answers.put(
                    eve,
                    pool.submit(() -> altcraft.call("subscriptions/set", set(eve, "eve@example.com", "subscribed"))));
            held.awaitQueued(2);
            answers.put(
                    unknown,
                    pool.submit(
                            () -> altcraft.call("subscriptions/set", set(unknown, "who@example.com", "subscribed"))));
            held.awaitQueued(3);
            held.release();
            for (String refused : List.of(zed, unknown)) {
                ApiClient.Response response = answers.get(refused).get();
                assertThat(response.status()).as(response.text()).isEqualTo(404);
                assertThat(response.json().get("error").asInt())
                        .as(response.text())
                        .isEqualTo(8);
                assertThat(response.json().get("error_text").asString()).contains("profile_id '" + refused + "'");
            }
            Golden.assertBody(answers.get(eve).get(), "dialect/altcraft/set-seed.response.json", Map.of());
            // the three applied in one commit, the profile of each checked there, under its lock, by the same read
            assertThat(held.groups()).isEqualTo(held.leaders() + 1);
        }
        assertThat(workspace.events(Long.parseLong(zed)).findValuesAsString("action"))
                .isEmpty();
        assertThat(workspace.events(Long.parseLong(eve)).findValuesAsString("action"))
                .containsExactly("OPT_IN");
    }

    private static Map<String, Object> set(String profile, String email, String status) {
        Map<String, Object> fields = new LinkedHashMap<>(get(profile, email));
        fields.put("status", status);
        return fields;
    }

    private static Map<String, Object> get(String profile, String email) {
        return Map.of("db_id", 1, "profile_id", profile, "resource_id", 1, "channel", "email", "email", email);
    }
}
