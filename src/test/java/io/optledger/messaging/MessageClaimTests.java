package io.optledger.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.contact.Channel;
import io.optledger.messaging.internal.JdbcMessageClaims;
import io.optledger.messaging.internal.JdbcMessages;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 13, finding 1: a message is sent under its worker's claim only. A worker whose lease lapsed (its batch was slow)
 * finds another worker has claimed the message and neither sends it nor marks it; the claim holder's marks alone count.
 */
@ApiTest
class MessageClaimTests {

    @Autowired
    JdbcMessages messages;

    @Autowired
    JdbcMessageClaims claims;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    private long workspace;
    private long id;

    @BeforeEach
    void queueOne() {
        // queued a day ahead, so that the service's own worker leaves it to this test's claims
        workspace = TestWorkspace.create(new ApiClient(port)).id();
        id = messages.insert(
                workspace,
                null,
                Channel.SMS,
                "+14155550142",
                MessageTemplate.HELP,
                "en-US",
                "help text",
                Instant.now().plusSeconds(86_400));
    }

    @Test
    void aWorkerWhoseLeaseLapsedCannotSendOrMarkWhatAnotherWorkerClaimed() {
        Instant t0 = Instant.now();
        OutboundMessage first = claimOurs(t0.plusSeconds(60));
        // the second worker's claim stands for one made after the first lease lapsed (claimOurs does not ask whether
        // the message is due): every lease stays in the future, so the service's own worker never takes it between
        OutboundMessage second = claimOurs(t0.plusSeconds(61));

        assertThat(second.attempts()).isEqualTo(first.attempts() + 1);
        assertThat(claims.renew(first, t0.plusSeconds(120)))
                .as("the first worker's claim is lost")
                .isFalse();
        assertThat(claims.markSent(first, t0)).isFalse();
        claims.markFailedAttempt(first, t0.plusSeconds(5), "late failure of a lost claim");
        assertThat(status()).isEqualTo("SENDING");

        assertThat(claims.renew(second, t0.plusSeconds(120))).isTrue();
        assertThat(claims.markSent(second, t0.plusSeconds(2))).isTrue();
        assertThat(status()).isEqualTo("SENT");
        assertThat(claims.markSent(second, t0.plusSeconds(3))).as("sent once").isFalse();
    }

    @Test
    void aRenewedClaimHoldsTheMessageAndACancelledMessageCannotBeRenewed() {
        Instant t0 = Instant.now();
        OutboundMessage claimed = claimOurs(t0.plusSeconds(60));
        Instant renewed = t0.plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertThat(claims.renew(claimed, renewed)).isTrue();
        assertThat(jdbc.sql("select next_attempt_at from messages where workspace_id = :w and id = :id")
                        .param("w", workspace)
                        .param("id", id)
                        .query(java.sql.Timestamp.class)
                        .single()
                        .toInstant())
                .as("not due for any other worker until the renewed lease ends")
                .isEqualTo(renewed);

        messages.cancelTo(workspace, Channel.SMS, "+14155550142", List.of(MessageTemplate.HELP), "STOP");
        assertThat(claims.renew(claimed, t0.plusSeconds(900)))
                .as("cancelled by a STOP")
                .isFalse();
        assertThat(status()).isEqualTo("CANCELLED");
    }

    /**
     * Claims the test's message as {@link JdbcMessageClaims#claim} claims a due one (SENDING, the next attempt, the
     * lease's end), for this message alone: a claim of everything due would take other tests' messages from the
     * service. The lease must end in the future: a lapsed one makes the message due, and the service's own worker
     * would claim it under the test (as it once did, failing a CI run).
     */
    private OutboundMessage claimOurs(Instant leaseEnd) {
        int claimed = jdbc.sql("""
                        update messages set status = 'SENDING', attempts = attempts + 1, next_attempt_at = :leaseEnd
                        where workspace_id = :w and id = :id and status in ('QUEUED', 'SENDING')
                        """)
                .param("w", workspace)
                .param("id", id)
                .param("leaseEnd", java.sql.Timestamp.from(leaseEnd))
                .update();
        assertThat(claimed).isEqualTo(1);
        return messages.findTo(workspace, Channel.SMS, "+14155550142").stream()
                .filter(m -> m.id() == id)
                .findFirst()
                .orElseThrow();
    }

    private String status() {
        return jdbc.sql("select status from messages where workspace_id = :w and id = :id")
                .param("w", workspace)
                .param("id", id)
                .query(String.class)
                .single();
    }
}
