package io.optledger.dialect.attentive;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.optledger.consent.GroupCommitSettings;
import io.optledger.support.ApiClient;
import io.optledger.support.HeldCommit;
import io.optledger.support.Owner;
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
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A subscribe commits its opt-in, and the text it causes, with the single changes that arrive while a commit is in
 * flight (the native single writes' group commit); each call is answered as if alone, and one the database refuses
 * fails alone, its group's texts queued once.
 */
class AttentiveGroupCommitTests extends WorkspaceApiTest {

    private static final String NEW = "+13115550101";
    private static final String AGAIN = "+13115550102";
    private static final String ASKED = "+13115550103";
    private static final String DOOMED = "+13115550104";

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Autowired
    GroupCommitSettings groupCommit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    private AttentiveClient attentive;
    private String unit;

    @BeforeEach
    void setUp() {
        attentive = new AttentiveClient(workspace);
        unit = attentive.unit("TEXT", "MARKETING", "en", "US", true);
        assertThat(subscribe(AGAIN, true).status()).isEqualTo(202);
    }

    @Test
    void subscribesSentDuringACommitCommitTogetherEachWithItsOwnAnswerAndText() throws Exception {
        JdbcClient owner = Owner.jdbc(context);
        owner.sql("""
                create function attentive_group_test_refuse() returns trigger language plpgsql as $$
                begin
                    if new.address = '+13115550104' then
                        raise exception 'refused for the test';
                    end if;
                    return new;
                end $$""").update();
        owner.sql("create trigger attentive_group_test_refuse before insert on subscriptions"
                        + " for each row execute function attentive_group_test_refuse()")
                .update();
        Map<String, ApiClient.Response> answers = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, groupCommit, pool)) {
            Map<String, Future<ApiClient.Response>> sent = new LinkedHashMap<>();
            sent.put(NEW, pool.submit(() -> subscribe(NEW, true)));
            held.awaitQueued(1);
            sent.put(AGAIN, pool.submit(() -> subscribe(AGAIN, true)));
            held.awaitQueued(2);
            sent.put(ASKED, pool.submit(() -> subscribe(ASKED, false)));
            held.awaitQueued(3);
            sent.put(DOOMED, pool.submit(() -> subscribe(DOOMED, true)));
            held.awaitQueued(4);
            held.release();
            for (var entry : sent.entrySet()) {
                answers.put(entry.getKey(), entry.getValue().get());
            }
            assertThat(held.groups()).isEqualTo(held.leaders() + 1);
            assertThat(held.requests()).isEqualTo(held.leaders() + 4);
        } finally {
            owner.sql("drop trigger attentive_group_test_refuse on subscriptions")
                    .update();
            owner.sql("drop function attentive_group_test_refuse()").update();
        }
        assertThat(status(answers.get(NEW))).isEqualTo("NEWLY_CREATED");
        assertThat(status(answers.get(AGAIN))).isEqualTo("PREVIOUSLY_CREATED");
        assertThat(status(answers.get(ASKED))).isEqualTo("NEWLY_CREATED");
        ApiClient.Response refused = answers.get(DOOMED);
        assertThat(refused.status()).as(refused.text()).isEqualTo(500);
        assertThat(refused.json().get("error").get("message").asString()).isNotBlank();
        // the failed group was rolled back and each call applied alone: every text once, none for the refused one
        assertThat(texts(NEW)).isEmpty();
        assertThat(texts(AGAIN)).containsExactly("ALREADY_SUBSCRIBED");
        assertThat(texts(ASKED)).containsExactly("CONFIRMATION_REQUEST");
        assertThat(texts(DOOMED)).isEmpty();
        assertThat(eligible(NEW)).isTrue();
        assertThat(eligible(ASKED)).isFalse();
        // the refused sign-up named its person by the number alone, so it was found or made in the group's
        // transaction: rolled back with it, it left no subscriber behind (nothing half-done after a 500)
        assertThat(attentive
                        .get("subscriptions?phone=" + DOOMED.replace("+", "%2B"))
                        .status())
                .isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from identifiers where workspace_id = :w and value = :v")
                        .param("w", workspace.id())
                        .param("v", DOOMED)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void twoSubscribesOfOneNewNumberInOneCommitEachAnswerWhatTheirChangeMet() throws Exception {
        String twice = "+13115550107";
        ApiClient.Response first;
        ApiClient.Response second;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, groupCommit, pool)) {
            Future<ApiClient.Response> one = pool.submit(() -> subscribe(twice, true));
            held.awaitQueued(1);
            Future<ApiClient.Response> two = pool.submit(() -> subscribe(twice, true));
            held.awaitQueued(2);
            held.release();
            first = one.get();
            second = two.get();
        }
        // both sent before either committed: the second, applied after the first in the same commit, met the
        // subscription the first made, and so was told so and texted so (read under the contact's lock)
        assertThat(status(first)).isEqualTo("NEWLY_CREATED");
        assertThat(status(second)).isEqualTo("PREVIOUSLY_CREATED");
        assertThat(texts(twice)).containsExactly("ALREADY_SUBSCRIBED");
        assertThat(eligible(twice)).isTrue();
    }

    private ApiClient.Response subscribe(String phone, boolean singleOptIn) {
        return attentive.post(
                "subscriptions",
                ApiClient.json(
                        Map.of("user", Map.of("phone", phone), "signUpSourceId", unit, "singleOptIn", singleOptIn)));
    }

    private static String status(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        List<String> statuses = response.json().findValuesAsString("subscriptionCreationStatus");
        assertThat(statuses).hasSize(1);
        return statuses.getFirst();
    }

    private List<String> texts(String phone) {
        return jdbc.sql("select template from messages where workspace_id = :w and recipient = :r"
                        + " order by created_at, id")
                .param("w", workspace.id())
                .param("r", phone)
                .query(String.class)
                .list();
    }

    private boolean eligible(String phone) {
        return attentive
                .get("subscriptions?phone=" + phone.replace("+", "%2B"))
                .json()
                .findValues("isEligible")
                .getFirst()
                .asBoolean();
    }
}
