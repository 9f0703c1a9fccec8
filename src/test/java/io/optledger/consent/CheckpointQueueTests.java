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
 * How the checkpoint job finds what to sign: every event appended to the ledger is queued with its hash in the same
 * transaction, each checkpoint takes a checkpoint's worth in contact order and takes them off the queue as it commits,
 * and events the queue does not hold are read from the ledger. No index names the chain head, so that a consent change
 * updates the head in place.
 */
@ApiTest
class CheckpointQueueTests {

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
    void moreChangedContactsThanOneCheckpointHoldsAreCoveredEachOnce() {
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
        List<ConsentCommand> commands = ids.stream().map(this::optIn).toList();

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

    @Test
    void everyEventAppendedIsQueuedWithItsHashInItsTransaction() {
        List<Long> ids = List.of(
                workspace.contact("queue-1@example.com", "+14155550191"),
                workspace.contact("queue-2@example.com", "+14155550192"));
        List<ConsentCommand> commands =
                List.of(optIn(ids.get(0)), optIn(ids.get(1)), command(ids.get(0), Action.OPT_OUT), optIn(ids.get(0)));

        // read inside the writing transaction: no checkpoint can have taken them off the queue yet
        List<String> queued = transactions.execute(status -> {
            consent.apply(new ConsentBatch(workspace.id(), RequestContext.none(), commands));
            return rows("ledger_unchecked", ids);
        });
        List<String> appended = rows("consent_events", ids);
        assertThat(appended).hasSize(4);
        assertThat(queued).isEqualTo(appended);

        // and once signed, they leave the queue
        workspace.checkpointed(checkpoints, ids.get(0));
        workspace.checkpointed(checkpoints, ids.get(1));
        assertThat(rows("ledger_unchecked", ids)).isEmpty();
    }

    @Test
    void eventsTheQueueDoesNotHoldAreReadFromTheLedger() {
        long lost = workspace.contact("lost-1@example.com", "+14155550193");
        long kept = workspace.contact("kept-1@example.com", "+14155550194");
        transactions.executeWithoutResult(status -> {
            consent.apply(new ConsentBatch(
                    workspace.id(),
                    RequestContext.none(),
                    List.of(optIn(lost), optIn(kept), command(lost, Action.OPT_OUT))));
            // the first event of one contact goes missing from the queue before anything could sign it
            jdbc.sql("delete from ledger_unchecked where workspace_id = :ws and contact_id = :id and seq = 1")
                    .param("ws", workspace.id())
                    .param("id", lost)
                    .update();
        });

        workspace.checkpointed(checkpoints, lost);
        workspace.checkpointed(checkpoints, kept);
        // both events of the contact are signed, the lost one's hash read from the ledger
        assertThat(jdbc.sql("""
                        select min(from_seq), max(to_seq) from ledger_checkpoint_entries
                        where workspace_id = :ws and contact_id = :id
                        """)
                        .param("ws", workspace.id())
                        .param("id", lost)
                        .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
                        .single())
                .containsExactly(1L, 2L);
        assertThat(workspace.verify(lost).get("valid").asBoolean()).isTrue();
        assertThat(workspace.verify(kept).get("valid").asBoolean()).isTrue();
        assertThat(rows("ledger_unchecked", List.of(lost, kept))).isEmpty();
    }

    private ConsentCommand optIn(long contact) {
        return command(contact, Action.OPT_IN);
    }

    private ConsentCommand command(long contact, Action action) {
        return new ConsentCommand(
                ContactRef.id(contact), Channel.EMAIL, null, "marketing", action, null, null, Provenance.of("test"));
    }

    /** Each event of the contacts in a table as "contact/seq/hash", in contact and seq order. */
    private List<String> rows(String table, List<Long> contacts) {
        return jdbc.sql("select contact_id || '/' || seq || '/' || encode(hash, 'hex') from " + table
                        + " where workspace_id = :ws and contact_id = any(:ids::bigint[]) order by contact_id, seq")
                .param("ws", workspace.id())
                .param("ids", contacts.toArray(Long[]::new))
                .query(String.class)
                .list();
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
