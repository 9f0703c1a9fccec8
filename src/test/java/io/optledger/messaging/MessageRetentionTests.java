package io.optledger.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Finished messages go once older than the retention; queued ones stay whatever their age. */
@ApiTest
class MessageRetentionTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MessagePruner pruner;

    @Autowired
    MessageRetention retention;

    @Test
    void prunesFinishedMessagesOlderThanTheRetentionOnly() {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        Instant old = Instant.now().minus(retention.messages()).minus(Duration.ofDays(1));
        Instant recent = Instant.now().minus(Duration.ofDays(1));
        Map<String, Object[]> messages = Map.of(
                "old-sent", new Object[] {"SENT", old},
                "old-failed", new Object[] {"FAILED", old},
                "old-cancelled", new Object[] {"CANCELLED", old},
                "old-queued", new Object[] {"QUEUED", old},
                "recent-sent", new Object[] {"SENT", recent});
        // not due for a day: the running message worker leaves the queued one alone
        messages.forEach((recipient, m) -> jdbc.sql("""
                        insert into messages (workspace_id, channel, recipient, template, locale, body, status,
                            next_attempt_at, created_at)
                        values (:ws, 'SMS', :recipient, 'HELP', 'en-US', 'a body', :status,
                            now() + interval '1 day', :at)
                        """)
                .param("ws", workspace.id())
                .param("recipient", recipient)
                .param("status", m[0])
                .param("at", Timestamp.from((Instant) m[1]))
                .update());

        while (pruner.prune()) {
            // more than a batch of other tests' old messages: keep going, as the loop would
        }

        List<String> left = jdbc.sql("select recipient from messages where workspace_id = :ws order by recipient")
                .param("ws", workspace.id())
                .query(String.class)
                .list();
        assertThat(left).containsExactly("old-queued", "recent-sent");
        assertThat(retention.messages()).isEqualTo(Duration.ofDays(30));
    }
}
