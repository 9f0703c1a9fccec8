package io.optledger.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.audit.Actor;
import io.optledger.contact.Channel;
import io.optledger.platform.Hashing;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A suppression lookup reads the erased addresses in the same round trip as the suppressions, with the workspace's
 * erasure key as this node last read it: a key another node makes is found by the next lookup, and a key made by a
 * transaction that rolled back is never used.
 */
@ApiTest
class TombstoneLookupTests {

    private static final HexFormat HEX = HexFormat.of();

    @LocalServerPort
    int port;

    @Autowired
    Suppressions suppressions;

    @Autowired
    Tombstones tombstones;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    long workspace;

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port)).id();
    }

    @Test
    void findsTheTombstonesAnotherNodeLeavesFromItsFirstErasureOn() {
        assertThat(lookUp("first@example.com")).isEmpty();

        // another node's first erasure makes the key; this node has only ever seen the workspace without one
        byte[] key = anotherNodesKey();
        tombstoneByAnotherNode(key, "first@example.com");
        assertThat(lookUp("first@example.com"))
                .extracting(Suppression::reason)
                .containsExactly(SuppressionReason.ERASED);

        // and from then on in the suppressions' own round trip
        tombstoneByAnotherNode(key, "second@example.com");
        assertThat(lookUp("second@example.com"))
                .extracting(Suppression::reason)
                .containsExactly(SuppressionReason.ERASED);
        assertThat(lookUp("never-erased@example.com")).isEmpty();

        // an erased address suppressed since is that suppression, once
        suppressions.suppress(
                workspace,
                Channel.EMAIL,
                "second@example.com",
                SuppressionReason.COMPLAINT,
                null,
                Actor.system("test"));
        assertThat(lookUp("second@example.com"))
                .extracting(Suppression::reason)
                .containsExactly(SuppressionReason.COMPLAINT);
    }

    @Test
    void neverUsesAKeyWhoseTransactionRolledBack() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                    tombstones.add(workspace, Channel.EMAIL, "rolled-back@example.com", Instant.now());
                    // read back in the same transaction: the key it made, which must not outlive it
                    assertThat(lookUp("rolled-back@example.com")).hasSize(1);
                    throw new IllegalStateException("the erasure failed");
                }))
                .hasMessage("the erasure failed");

        byte[] key = anotherNodesKey();
        tombstoneByAnotherNode(key, "kept@example.com");
        assertThat(lookUp("kept@example.com"))
                .extracting(Suppression::reason)
                .containsExactly(SuppressionReason.ERASED);
        assertThat(lookUp("rolled-back@example.com")).isEmpty();
    }

    private List<Suppression> lookUp(String address) {
        return suppressions.findAll(workspace, List.of(Channel.EMAIL), List.of(address));
    }

    private byte[] anotherNodesKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        jdbc.sql("insert into erasure_keys (workspace_id, key) values (:ws, :key)")
                .param("ws", workspace)
                .param("key", key)
                .update();
        return key;
    }

    private void tombstoneByAnotherNode(byte[] key, String address) {
        jdbc.sql("""
                        insert into erased_addresses (workspace_id, channel, digest, erased_at)
                        values (:ws, 'EMAIL', decode(:digest, 'hex'), now())
                        """)
                .param("ws", workspace)
                .param("digest", HEX.formatHex(Hashing.hmacSha256(key, "EMAIL:" + address)))
                .update();
    }
}
