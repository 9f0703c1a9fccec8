package io.optledger.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.idempotency.internal.JdbcIdempotencyKeys;
import io.optledger.platform.Hashing;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, finding 2: a retry that takes over a key whose request seems abandoned fences that request out: the slow
 * original can neither complete (its change rolls back) nor release the key, so of the two only one applies.
 */
@ApiTest
class IdempotencyTakeoverTests {

    private static final byte[] BODY = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    JdbcIdempotencyKeys rows;

    @Autowired
    TransactionTemplate transactions;

    @LocalServerPort
    int port;

    private long workspace;

    @BeforeEach
    void createWorkspace() {
        workspace = TestWorkspace.create(new ApiClient(port)).id();
    }

    @Test
    void theOriginalOfATakenOverKeyCannotCompleteAndTheRetryAppliesAlone() {
        Claim.Fresh original = claimedTwoMinutesAgo("k1");

        Claim retry = keys.claim(workspace, "k1", BODY);
        assertThat(retry).isInstanceOf(Claim.Fresh.class);

        assertThatThrownBy(() -> transactions.executeWithoutResult(
                        status -> keys.complete(workspace, "k1", original, 200, "original")))
                .isInstanceOf(IdempotencyKeys.ClaimLost.class);
        keys.release(workspace, "k1", original);
        assertThat(rows.find(workspace, "k1"))
                .as("the retry's claim survives the original's release")
                .isPresent();

        transactions.executeWithoutResult(status -> keys.complete(workspace, "k1", (Claim.Fresh) retry, 200, "retry"));
        assertThat(keys.claim(workspace, "k1", BODY)).isEqualTo(new Claim.Replay(200, "retry"));
    }

    @Test
    void aCompletedKeyIsNeverTakenOver() {
        Claim.Fresh original = claimedTwoMinutesAgo("k2");
        transactions.executeWithoutResult(status -> keys.complete(workspace, "k2", original, 200, "done"));

        assertThat(keys.claim(workspace, "k2", BODY)).isEqualTo(new Claim.Replay(200, "done"));
    }

    /** A claim made two minutes ago, longer than a request may hold its key before a retry takes it over. */
    private Claim.Fresh claimedTwoMinutesAgo(String key) {
        Instant then = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MICROS);
        assertThat(rows.insert(workspace, key, Hashing.sha256(BODY), then)).isTrue();
        return new Claim.Fresh(then);
    }
}
