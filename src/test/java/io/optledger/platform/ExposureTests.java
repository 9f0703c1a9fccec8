package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The public port answers probes with a status and nothing more; health details, Prometheus and the rest of Actuator
 * are on the management port, bound to loopback.
 */
@ApiTest
class ExposureTests {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    ApiClient api;
    ApiClient management;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        management = new ApiClient(managementPort);
    }

    @Test
    void thePublicProbesAnswerTheirStatusOnly() {
        for (String probe : new String[] {"/livez", "/readyz"}) {
            ApiClient.Response response = api.get(probe, null);
            assertThat(response.status()).as(probe).isEqualTo(200);
            assertThat(response.json().propertyNames()).as(probe).containsExactly("status");
            assertThat(response.json().get("status").asString()).isEqualTo("UP");
        }
    }

    @Test
    void thePublicPortServesNoActuatorEndpoint() {
        for (String path : new String[] {
            "/actuator",
            "/actuator/health",
            "/actuator/health/readiness",
            "/actuator/prometheus",
            "/actuator/metrics",
            "/actuator/info"
        }) {
            ApiClient.Response response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.text()).as(path).doesNotContain("components", "jvm_", "diskSpace");
        }
    }

    @Test
    void theManagementPortShowsEveryDetailAndThePrometheusMetrics() {
        JsonNode health = management.get("/actuator/health", null).json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").propertyNames()).contains("db", "diskSpace", "workers", "invalidations");
        JsonNode workers = health.at("/components/workers/details");
        assertThat(workers.propertyNames())
                .contains("message-worker", "invalidation-reader", "invalidation-pruner", "idempotency-expiry");
        assertThat(workers.at("/invalidation-reader/stalled").asBoolean()).isFalse();
        assertThat(workers.at("/invalidation-reader/lastSuccess").asString()).isNotEqualTo("never");

        ApiClient.Response prometheus = management.get("/actuator/prometheus", null);
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.text())
                .contains("http_server_requests")
                .contains("optledger_worker_last_success_seconds{worker=\"invalidation-reader\"}")
                .contains("optledger_worker_failures_total{worker=\"message-worker\"}")
                .contains("optledger_worker_restarts_total{worker=\"message-worker\"}")
                .contains("optledger_worker_stalled{worker=\"idempotency-expiry\"} 0.0");
    }

    @Test
    void theManagementPortListensOnLoopbackOnly() throws SocketException {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no address but loopback");
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(external.get(), managementPort), 2000);
                    }
                })
                .isInstanceOf(IOException.class);
        // while the public port answers on that address
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(external.get(), port), 2000);
        } catch (IOException e) {
            throw new AssertionError("the public port should answer on " + external.get(), e);
        }
    }
}
