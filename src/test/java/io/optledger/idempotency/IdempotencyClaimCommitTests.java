package io.optledger.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.idempotency.internal.JdbcIdempotencyKeys;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A claim's transaction commits without waiting for its fsync, and only it: the change that completes the key commits
 * durably, and so does every later transaction on the same pooled connection.
 */
@ApiTest
class IdempotencyClaimCommitTests {

    private static final String SETTING = "select current_setting('synchronous_commit')";

    @Autowired
    JdbcIdempotencyKeys rows;

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @LocalServerPort
    int port;

    @Test
    void onlyTheClaimsTransactionSkipsTheFlushWait() {
        String inClaim = transactions.execute(status -> {
            rows.commitWithoutFlushWait();
            return jdbc.sql(SETTING).query(String.class).single();
        });
        assertThat(inClaim).isEqualTo("off");
        // every connection of the pool, whichever the claim ran on: durable again in its next transaction
        for (int i = 0; i < 25; i++) {
            String after = transactions.execute(
                    status -> jdbc.sql(SETTING).query(String.class).single());
            assertThat(after).isEqualTo("on");
        }
    }

    @Test
    void aClaimIsSeenByItsRetryAtOnce() {
        long workspace = TestWorkspace.create(new ApiClient(port)).id();
        byte[] body = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(keys.claim(workspace, "claimed", body)).isInstanceOf(Claim.Fresh.class);
        assertThat(keys.claim(workspace, "claimed", body)).isInstanceOf(Claim.InFlight.class);
    }
}
