package io.optledger.platform;

import static io.optledger.platform.SupervisorTests.loop;
import static io.optledger.platform.SupervisorTests.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The supervised loops of a running service: a stall turns readiness DOWN; a row it cannot read stops no worker. */
@ApiTest
class WorkersTests {

    private static final Pattern MESSAGE_WORKER_FAILURES =
            Pattern.compile("optledger_worker_failures_total\\{worker=\"message-worker\"} ([0-9.]+)");

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    Supervisor supervisor;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;
    ApiClient management;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        management = new ApiClient(managementPort);
    }

    @Test
    void aStalledLoopTurnsReadinessDownUntilItRunsAgain() throws Exception {
        Semaphore passes = new Semaphore(1);
        try (AutoCloseable stuck =
                supervisor.supervise(loop("stuck-test-loop", Duration.ofMillis(50), Duration.ofSeconds(1), () -> {
                    passes.acquire(); // the first pass goes through, the next waits until let go
                    return false;
                }))) {
            assertThat(within(
                            Duration.ofSeconds(10),
                            () -> api.get("/readyz", null).status() == 503))
                    .as("readiness DOWN once the loop has had no success for a second")
                    .isTrue();
            ApiClient.Response readiness = api.get("/readyz", null);
            assertThat(readiness.json().propertyNames()).containsExactly("status");
            assertThat(readiness.json().get("status").asString()).isEqualTo("DOWN");
            var workers = management.get("/actuator/health", null).json().at("/components/workers");
            assertThat(workers.get("status").asString()).isEqualTo("DOWN");
            assertThat(workers.at("/details/stuck-test-loop/stalled").asBoolean())
                    .isTrue();
            assertThat(workers.at("/details/message-worker/stalled").asBoolean())
                    .isFalse();
            assertThat(api.get("/livez", null).status()).as("alive all along").isEqualTo(200);

            passes.release(1000);
            assertThat(within(
                            Duration.ofSeconds(10),
                            () -> api.get("/readyz", null).status() == 200))
                    .as("readiness UP again after a successful pass")
                    .isTrue();
        }
        assertThat(supervisor.loops()).noneMatch(loop -> loop.name().equals("stuck-test-loop"));
    }

    @Test
    void theMessageWorkerLeavesARowItCannotReadQueuedAndSendsTheRest() throws Exception {
        TestWorkspace workspace = TestWorkspace.create(api);
        double failuresBefore = messageWorkerFailures();
        // a row this version cannot read, as a newer node might queue during a rolling upgrade
        long unreadable = jdbc.sql("""
                        insert into messages (workspace_id, channel, recipient, template, locale, body, status,
                            next_attempt_at, created_at)
                        values (:workspaceId, 'CARRIER_PIGEON', 'coop 7', 'HELP', 'en', 'coo', 'QUEUED', :now, :now)
                        returning id
                        """)
                .param("workspaceId", workspace.id())
                .param("now", Timestamp.from(Instant.now()))
                .query(Long.class)
                .single();
        try {
            assertThat(within(
                            Duration.ofSeconds(10),
                            () -> jdbc.sql("""
                                    select count(*) from messages where workspace_id = :workspaceId and id = :id
                                        and status = 'QUEUED' and attempts = 0
                                        and last_error like 'not readable by this node:%CARRIER_PIGEON%'
                                        and next_attempt_at > now() + interval '4 minutes'
                                    """)
                                            .param("workspaceId", workspace.id())
                                            .param("id", unreadable)
                                            .query(Integer.class)
                                            .single()
                                    == 1))
                    .as("claimed once, put back for a node that can read it, with the reason, the attempt not counted")
                    .isTrue();

            ApiClient.Response help = api.post(
                    "/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+19148440077\", \"body\": \"HELP\"}");
            assertThat(help.status()).as(help.text()).isEqualTo(200);
            assertThat(within(
                            Duration.ofSeconds(10),
                            () -> "SENT"
                                    .equals(api.get(
                                                    "/v1/messaging/messages?channel=SMS&recipient=%2B19148440077",
                                                    workspace.adminKey())
                                            .json()
                                            .at("/messages/0/status")
                                            .asString())))
                    .as("a text queued after it is sent")
                    .isTrue();
            assertThat(messageWorkerFailures()).as("no pass failed over it").isEqualTo(failuresBefore);
        } finally {
            jdbc.sql("delete from messages where workspace_id = :workspaceId and id = :id")
                    .param("workspaceId", workspace.id())
                    .param("id", unreadable)
                    .update();
        }
    }

    private double messageWorkerFailures() {
        Matcher matcher = MESSAGE_WORKER_FAILURES.matcher(
                management.get("/actuator/prometheus", null).text());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
