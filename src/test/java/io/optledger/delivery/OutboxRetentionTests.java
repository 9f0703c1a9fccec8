package io.optledger.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.delivery.internal.JdbcOutboxUpkeep;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 16: outbox rows are pruned after their retention only once every reader is done with them (the webhook
 * fan-out has passed them; with Kafka on, they are published), and pruning leaves the ledger and the state whole.
 * The cutoff is passed in: a cutoff in the future makes every row old enough, so what is kept is kept for its reader.
 */
@ApiTest
class OutboxRetentionTests {

    private static final int ALL = 100_000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JdbcOutboxUpkeep upkeep;

    @Autowired
    OutboxPruner pruner;

    @Autowired
    TransactionTemplate tx;

    @Test
    void rowsOfAWorkspaceWithoutEndpointsArePrunedAfterTheirRetentionAndTheLedgerStillVerifies() {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        long contact = workspace.contact("prune@example.com", "+14155557001");
        optIn(workspace, contact);
        optOut(workspace, contact);
        assertThat(rows(workspace)).isEqualTo(2);

        // not yet old enough
        pruner.prune(Instant.now().minus(Duration.ofDays(7)));
        assertThat(rows(workspace)).isEqualTo(2);

        while (pruner.prune(Instant.now().plus(Duration.ofMinutes(1)))) {
            // a full batch: more may be waiting
        }
        assertThat(rows(workspace)).isZero();
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        assertThat(workspace.events(contact)).hasSize(2);
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&email=prune@example.com")
                        .get("eligible")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void rowsTheWebhookFanOutHasNotReachedAreKept() {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        // what creating the first endpoint does (an endpoint here would need a public address to be accepted)
        jdbc.sql("insert into webhook_fanout (workspace_id, last_outbox_id, updated_at) values (:w, 0, now())")
                .param("w", workspace.id())
                .update();
        long contact = workspace.contact("fanout@example.com", "+14155557002");
        optIn(workspace, contact);
        optOut(workspace, contact);
        long last = jdbc.sql("select max(id) from outbox where workspace_id = :w")
                .param("w", workspace.id())
                .query(Long.class)
                .single();

        // the cursor put back before both rows, in a transaction that holds its row (the fan-out skips locked cursors)
        tx.executeWithoutResult(status -> {
            jdbc.sql("update webhook_fanout set last_outbox_id = :id, target_id = null where workspace_id = :w")
                    .param("id", last - 1_000_000)
                    .param("w", workspace.id())
                    .update();
            upkeep.prune(Instant.now().plus(Duration.ofMinutes(1)), false, ALL);
            assertThat(rows(workspace)).isEqualTo(2);
            status.setRollbackOnly();
        });

        // the cursor past both: they go
        tx.executeWithoutResult(status -> {
            jdbc.sql("update webhook_fanout set last_outbox_id = :id where workspace_id = :w")
                    .param("id", last)
                    .param("w", workspace.id())
                    .update();
            upkeep.prune(Instant.now().plus(Duration.ofMinutes(1)), false, ALL);
            assertThat(rows(workspace)).isZero();
        });
    }

    @Test
    void withKafkaOnOnlyPublishedRowsArePruned() {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        long contact = workspace.contact("kafka-prune@example.com", "+14155557003");
        optIn(workspace, contact);
        optOut(workspace, contact);
        long first = jdbc.sql("select min(id) from outbox where workspace_id = :w")
                .param("w", workspace.id())
                .query(Long.class)
                .single();

        tx.executeWithoutResult(status -> {
            upkeep.prune(Instant.now().plus(Duration.ofMinutes(1)), true, ALL);
            assertThat(rows(workspace)).isEqualTo(2);
            jdbc.sql("update outbox set published_at = now() where workspace_id = :w and id = :id")
                    .param("w", workspace.id())
                    .param("id", first)
                    .update();
            upkeep.prune(Instant.now().plus(Duration.ofMinutes(1)), true, ALL);
            assertThat(jdbc.sql("select id from outbox where workspace_id = :w")
                            .param("w", workspace.id())
                            .query(Long.class)
                            .list())
                    .hasSize(1)
                    .doesNotContain(first);
        });
    }

    private static void optIn(TestWorkspace workspace, long contact) {
        change(workspace, contact, "OPT_IN");
    }

    private static void optOut(TestWorkspace workspace, long contact) {
        change(workspace, contact, "OPT_OUT");
    }

    private static void change(TestWorkspace workspace, long contact, String action) {
        ApiClient.Response response = workspace.change(
                Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action));
        assertThat(response.status()).isEqualTo(200);
    }

    private int rows(TestWorkspace workspace) {
        return jdbc.sql("select count(*) from outbox where workspace_id = :w")
                .param("w", workspace.id())
                .query(Integer.class)
                .single();
    }
}
