package io.optledger.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.ServiceProcess;
import io.optledger.support.TestWorkspace;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Two service processes on one database: a change committed on either shows in the other's cached answers within a
 * second, and in its own at once.
 */
@ApiTest
class ClusterCacheTests {

    private static final Duration CLUSTER_BOUND = Duration.ofSeconds(1);

    static Process otherNode;
    static int otherPort;
    static int otherManagementPort;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @BeforeAll
    static void startAnotherNode(@Autowired DataSource pool) throws Exception {
        HikariDataSource dataSource = pool.unwrap(HikariDataSource.class);
        otherPort = freePort();
        otherManagementPort = freePort();
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + otherPort,
                "--management.server.port=" + otherManagementPort,
                // the nodes of one deployment share the signing key folder
                // (docs/operations.md#ledger-signing-keys-and-checkpoints)
                "--optledger.data-dir=target/test-data",
                "--spring.datasource.url=" + dataSource.getJdbcUrl(),
                "--spring.datasource.username=" + dataSource.getUsername(),
                "--logging.structured.format.console=",
                "--logging.level.io.optledger.platform=debug"));
        if (dataSource.getPassword() != null) {
            arguments.add("--spring.datasource.password=" + dataSource.getPassword());
        }
        otherNode = new ProcessBuilder(ServiceProcess.mainCommand(List.of("-Xmx256m"), arguments))
                .redirectErrorStream(true)
                .redirectOutput(new File("target/cluster-node.log"))
                .start();
        ApiClient other = new ApiClient(otherPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!ready(other)) {
            assertThat(otherNode.isAlive())
                    .as("the other node died: see target/cluster-node.log")
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("the other node did not start in time")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopTheOtherNode() throws InterruptedException {
        if (otherNode != null) {
            otherNode.destroy();
            otherNode.waitFor();
        }
    }

    @Test
    void aChangeOnOneNodeShowsOnTheOtherWithinASecondAndOnItsOwnAtOnce() throws InterruptedException {
        ApiClient a = new ApiClient(port);
        ApiClient b = new ApiClient(otherPort);
        // the answers below must come from the caches, not from a bypass
        assertThat(within(
                        CLUSTER_BOUND,
                        () -> cachesLive(new ApiClient(managementPort))
                                && cachesLive(new ApiClient(otherManagementPort))))
                .isTrue();
        TestWorkspace workspace = TestWorkspace.create(a);
        long contact = workspace.contact("cluster@example.com", "+14155550199");
        String query = "/v1/eligibility?channel=EMAIL&topic=marketing&email=cluster@example.com";

        change(a, workspace, contact, "OPT_IN");
        assertThat(eligible(a, workspace, query)).isTrue();
        // both nodes now hold the answer in their caches
        assertThat(within(CLUSTER_BOUND, () -> eligible(b, workspace, query))).isTrue();

        change(a, workspace, contact, "OPT_OUT");
        assertThat(eligible(a, workspace, query))
                .as("the writing node, at once")
                .isFalse();
        assertThat(within(CLUSTER_BOUND, () -> !eligible(b, workspace, query)))
                .as("the other node, within a second")
                .isTrue();

        change(b, workspace, contact, "OPT_IN");
        assertThat(eligible(b, workspace, query)).isTrue();
        assertThat(within(CLUSTER_BOUND, () -> eligible(a, workspace, query))).isTrue();

        ApiClient.Response suppressed = b.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"EMAIL\",\"address\":\"cluster@example.com\",\"reason\":\"BOUNCE\"}");
        assertThat(suppressed.status()).isEqualTo(201);
        assertThat(within(CLUSTER_BOUND, () -> !eligible(a, workspace, query))).isTrue();

        assertThat(b.patch("/v1/topics/transactional", workspace.adminKey(), "{\"mandatory\":true}")
                        .status())
                .isEqualTo(200);
        assertThat(within(
                        CLUSTER_BOUND,
                        () -> a.get("/v1/topics/transactional", workspace.adminKey())
                                .json()
                                .get("mandatory")
                                .asBoolean()))
                .isTrue();
    }

    private static void change(ApiClient node, TestWorkspace workspace, long contact, String action) {
        ApiClient.Response response = node.post(
                "/v1/subscriptions/changes",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "items",
                        List.of(Map.of(
                                "contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action)))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static boolean eligible(ApiClient node, TestWorkspace workspace, String query) {
        ApiClient.Response response = node.get(query, workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("eligible").asBoolean();
    }

    /** Polls until the condition holds or the bound passes; answers whether it held in time. */
    private static boolean within(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        do {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return condition.getAsBoolean();
    }

    /** Reads the node's health details, which its management port shows. */
    private static boolean cachesLive(ApiClient management) {
        return management
                .get("/actuator/health", null)
                .json()
                .at("/components/invalidations/details/cachesLive")
                .asBoolean();
    }

    private static boolean ready(ApiClient node) {
        try {
            return node.get("/readyz", null).status() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
