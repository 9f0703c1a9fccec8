package io.optledger.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Problems;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, finding 7: the ids a workspace sees say nothing about how many contacts, subscriptions or messages other
 * workspaces create. They come from one shared numbering put through a keyed permutation (V18), so they are unique,
 * lie in [2^52, 2^53) and are exact as JavaScript numbers.
 */
class OpaqueIdsTests extends WorkspaceApiTest {

    private static final long LOW = 1L << 52;
    private static final long HIGH = 1L << 53;
    private static final int CREATIONS = 50;
    private static final int BULK = 500;

    @Autowired
    JdbcClient jdbc;

    @Test
    void contactIdsRevealNothingOfWhatAnotherWorkspaceCreatesMeanwhile() {
        TestWorkspace other = TestWorkspace.create(api);
        List<Long> ours = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        // how many contacts the other workspace created between each of ours and the next: 1, or 1 + BULK
        List<Integer> between = new ArrayList<>();
        for (int i = 0; i < CREATIONS; i++) {
            ours.add(workspace.contact("ours" + i + "@example.com", "+1415555" + String.format("%04d", i)));
            theirs.add(other.contact("theirs" + i + "@example.com", "+1415556" + String.format("%04d", i)));
            int bulk = i % 2 == 1 ? BULK : 0;
            // the other workspace's volume, numbered by the column default exactly as its registrations are
            jdbc.sql("""
                            insert into contacts (workspace_id, created_at, updated_at)
                            select :workspaceId, now(), now() from generate_series(1, :count)
                            """).param("workspaceId", other.id()).param("count", bulk).update();
            between.add(1 + bulk);
        }

        Set<Long> all = new HashSet<>(ours);
        all.addAll(theirs);
        assertThat(all).as("unique").hasSize(2 * CREATIONS);
        assertThat(all).allSatisfy(id -> assertThat(id).isBetween(LOW, HIGH - 1));
        assertThat(ours)
                .as("not in creation order")
                .isNotEqualTo(ours.stream().sorted().toList())
                .isNotEqualTo(ours.stream().sorted(Comparator.reverseOrder()).toList());

        List<Long> afterFew = new ArrayList<>();
        List<Long> afterMany = new ArrayList<>();
        for (int i = 0; i + 1 < CREATIONS; i++) {
            long gap = Math.abs(ours.get(i + 1) - ours.get(i));
            // a shared sequence would have made the gap exactly one more than the other workspace's creations
            assertThat(gap).as("gap after creation %d", i).isNotEqualTo(between.get(i) + 1L);
            (between.get(i) == 1 ? afterFew : afterMany).add(gap);
        }
        assertThat(afterFew.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("the gaps after %d creations elsewhere are not all smaller than after 1", BULK + 1)
                .isGreaterThan(
                        afterMany.stream().mapToLong(Long::longValue).min().orElseThrow());

        JsonNode found =
                api.get("/v1/contacts/" + ours.getLast(), workspace.adminKey()).json();
        assertThat(found.get("id").isIntegralNumber()).isTrue();
        assertThat(found.get("id").asLong()).isEqualTo(ours.getLast());
        Problems.assertProblem(api.get("/v1/contacts/" + theirs.getLast(), workspace.adminKey()), 404, "not-found");
        Problems.assertProblem(
                api.get("/v1/contacts/" + ours.getFirst() + "/subscriptions", other.adminKey()), 404, "not-found");
    }

    @Test
    void subscriptionAndMessageIdsAreOpaqueToo() {
        TestWorkspace other = TestWorkspace.create(api);
        for (TestWorkspace each : List.of(workspace, other)) {
            ApiClient.Response resource = api.send(
                    "PUT",
                    "/v1/altcraft/resources/1",
                    Map.of("Authorization", "Bearer " + each.adminKey(), "Content-Type", "application/json"),
                    ApiClient.json(Map.of(
                            "name", "news", "topic", "news", "channels", List.of("email"), "categories", List.of())));
            assertThat(resource.status()).as(resource.text()).isEqualTo(200);
        }
        // ours, theirs, ours: one subscription and one text of the other workspace's between each two of ours
        long first = workspace.contact("first@example.com", "+14155550711");
        long between = other.contact("between@example.com", "+14155550712");
        long second = workspace.contact("second@example.com", "+14155550713");
        optIn(workspace, first);
        optIn(other, between);
        optIn(workspace, second);
        help(workspace, "+14155550701");
        help(other, "+14155550701");
        help(workspace, "+14155550701");

        ApiClient.Response listed = api.send(
                "POST",
                "/altcraft/api/v1.1/subscriptions/list_all",
                Map.of("Content-Type", "application/json"),
                ApiClient.json(Map.of("token", workspace.adminKey(), "resource_id", 1)));
        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
        JsonNode subscriptions = listed.json().at("/data/subscriptions");
        assertThat(subscriptions).hasSize(2);
        assertOpaque(subscriptions.get(0).get("id"), subscriptions.get(1).get("id"));

        JsonNode messages = api.get("/v1/messaging/messages?channel=SMS&recipient=%2B14155550701", workspace.adminKey())
                .json()
                .get("messages");
        assertThat(messages).hasSize(2);
        assertOpaque(messages.get(0).get("id"), messages.get(1).get("id"));
    }

    @Test
    void aContactNumberedBeforeIdsWereOpaqueKeepsWorking() {
        // what V2's default gave every contact until V18: the shared sequence's number itself
        long old = jdbc.sql("""
                        insert into contacts (workspace_id, id, created_at, updated_at)
                        values (:workspaceId, nextval('contact_id_seq'), now(), now())
                        returning id
                        """)
                .param("workspaceId", workspace.id())
                .query(Long.class)
                .single();
        jdbc.sql("""
                        insert into identifiers (workspace_id, name, value, contact_id, created_at)
                        values (:workspaceId, 'email', 'old@example.com', :id, now())
                        """).param("workspaceId", workspace.id()).param("id", old).update();
        assertThat(old).isLessThan(LOW);

        assertThat(api.get("/v1/contacts/" + old, workspace.adminKey())
                        .json()
                        .get("id")
                        .asLong())
                .isEqualTo(old);
        assertThat(workspace.contact("old@example.com", "+14155550702")).isEqualTo(old);
        ApiClient.Response changed = workspace.change(
                Map.of("contactId", old, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        assertThat(changed.json().at("/results/0/outcome").asString())
                .as(changed.text())
                .isEqualTo("created");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&contactId=" + old)
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        assertThat(workspace.verify(old).get("valid").asBoolean()).isTrue();
        Problems.assertProblem(
                api.get("/v1/contacts/" + old, TestWorkspace.create(api).adminKey()), 404, "not-found");
    }

    private void optIn(TestWorkspace in, long contact) {
        ApiClient.Response response =
                in.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "news", "action", "OPT_IN"));
        assertThat(response.json().at("/results/0/outcome").asString())
                .as(response.text())
                .isEqualTo("created");
    }

    private void help(TestWorkspace in, String from) {
        ApiClient.Response response =
                api.post("/v1/inbound/sms", in.adminKey(), ApiClient.json(Map.of("from", from, "body", "HELP")));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    /** Two ids of one workspace, made with one of another workspace's between them, as the answer gives them. */
    private static void assertOpaque(JsonNode first, JsonNode second) {
        assertThat(first.isIntegralNumber() && second.isIntegralNumber())
                .as("numbers: %s, %s", first, second)
                .isTrue();
        assertThat(List.of(first.asLong(), second.asLong()))
                .allSatisfy(id -> assertThat(id).isBetween(LOW, HIGH - 1))
                .doesNotHaveDuplicates();
        // a shared sequence puts them a few apart; a permutation of 2^52 numbers, this close once in billions
        assertThat(Math.abs(second.asLong() - first.asLong()))
                .as("gap between %s and %s", first, second)
                .isGreaterThan(1_000_000L);
    }
}
