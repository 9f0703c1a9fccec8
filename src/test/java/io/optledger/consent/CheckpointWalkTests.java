package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.consent.ledger.LedgerCheckpoints;
import io.optledger.contact.Channel;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * How the checkpoint job finds the contacts whose chains grew: by walking the workspace's contacts in id order, a
 * checkpoint's worth at a time, with no index on the chain head, so that a consent change updates the head in place.
 */
@ApiTest
class CheckpointWalkTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LedgerCheckpoints checkpoints;

    @Autowired
    ConsentService consent;

    @Autowired
    TransactionTemplate transactions;

    ApiClient api;
    TestWorkspace workspace;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
    }

    @Test
    void aWalkCoversMoreChangedContactsThanOneCheckpointHoldsEachOnce() {
        int contacts = LedgerCheckpoints.MAX_CONTACTS + 37;
        long last = 0;
        for (int from = 0; from < contacts; from += ConsentBatch.MAX_COMMANDS) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = from; i < Math.min(contacts, from + ConsentBatch.MAX_COMMANDS); i++) {
                items.add(Map.of(
                        "email",
                        "walk-" + i + "@example.com",
                        "channel",
                        "EMAIL",
                        "topic",
                        "marketing",
                        "action",
                        "OPT_IN"));
            }
            ApiClient.Response response =
                    api.post("/v1/subscriptions/changes", workspace.adminKey(), ApiClient.json(Map.of("items", items)));
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode results = response.json().get("results");
            assertThat(results.findValuesAsString("outcome")).containsOnly("created");
            for (JsonNode result : results) {
                // ids are opaque, not in the order of creation: the walk's last contact is the greatest id
                last = Math.max(last, result.get("contactId").asLong());
            }
        }

        workspace.checkpointed(checkpoints, last);
        // whatever round (this test's or the background loop's) wrote them: each contact once, none over the bound
        List<Integer> sizes = jdbc.sql("select contact_count from ledger_checkpoints where workspace_id = :ws")
                .param("ws", workspace.id())
                .query(Integer.class)
                .list();
        assertThat(sizes)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(LedgerCheckpoints.MAX_CONTACTS));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(contacts);
        assertThat(jdbc.sql("""
                        select count(distinct contact_id) = count(*) from ledger_checkpoint_entries
                        where workspace_id = :ws
                        """)
                        .param("ws", workspace.id())
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(workspace.verify(last).get("valid").asBoolean()).isTrue();
    }

    @Test
    void aChangeUpdatesTheChainHeadOnItsPage() {
        List<Long> ids = List.of(
                workspace.contact("head-1@example.com", "+14155550181"),
                workspace.contact("head-2@example.com", "+14155550182"),
                workspace.contact("head-3@example.com", "+14155550183"));
        List<ConsentCommand> commands = ids.stream()
                .map(id -> new ConsentCommand(
                        ContactRef.id(id),
                        Channel.EMAIL,
                        null,
                        "marketing",
                        Action.OPT_IN,
                        null,
                        null,
                        Provenance.of("test")))
                .toList();

        // this connection's counters, not yet flushed to the shared statistics (that waits for it to go idle), read
        // before and after in one transaction: this change's updates alone, no other writer's
        long[] updated = transactions.execute(status -> {
            long[] before = updateCounts();
            consent.apply(new ConsentBatch(workspace.id(), RequestContext.none(), commands));
            long[] after = updateCounts();
            return new long[] {after[0] - before[0], after[1] - before[1]};
        });

        // three heads moved; with an index naming ledger_seq (before V43) none of them could stay on its page
        assertThat(updated[0]).isEqualTo(3);
        assertThat(updated[1]).isPositive();
        for (long id : ids) {
            assertThat(workspace.verify(id).get("valid").asBoolean()).isTrue();
        }
    }

    private long[] updateCounts() {
        return jdbc.sql("""
                        select pg_stat_get_xact_tuples_updated('contacts'::regclass),
                            pg_stat_get_xact_tuples_hot_updated('contacts'::regclass)
                        """)
                .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
    }
}
