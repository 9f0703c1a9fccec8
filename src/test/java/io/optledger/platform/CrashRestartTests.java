package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.OptLedgerApplication;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14: the service on its embedded database, killed with {@code kill -9} under concurrent writes three times in a
 * row and started again on the same data folder (its orphaned PostgreSQL stopped first): every write it acknowledged
 * is there, and every touched ledger verifies. Slow (real processes): {@code mvn -Pslow verify}.
 */
@Tag("slow")
class CrashRestartTests {

    private static final int CONTACTS = 20;
    private static final int WRITERS = 8;

    @TempDir
    Path dataDir;

    /** An acknowledged change: the contact and the ledger seq the service answered for it. */
    record Acknowledged(long contact, long seq, String action) {}

    @Test
    void everyAcknowledgedWriteSurvivesKillNineAndEveryLedgerVerifies() throws Exception {
        Set<Acknowledged> acknowledged = ConcurrentHashMap.newKeySet();
        List<Long> contacts = new ArrayList<>();
        String adminKey = null;
        List<Long> restartMillis = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int port = freePort();
            long started = System.nanoTime();
            Process node = node(port, round);
            ApiClient api = new ApiClient(port);
            awaitReady(node, api);
            restartMillis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
            if (adminKey == null) {
                adminKey = workspace(api);
                for (int i = 0; i < CONTACTS; i++) {
                    ApiClient.Response created = api.post(
                            "/v1/contacts", adminKey, ApiClient.json(Map.of("email", "c" + i + "@example.com")));
                    assertThat(created.status()).as(created.text()).isEqualTo(201);
                    contacts.add(created.json().get("id").asLong());
                }
            }
            writeUntilKilled(api, adminKey, contacts, node, acknowledged);
        }
        int port = freePort();
        long started = System.nanoTime();
        Process last = node(port, 3);
        ApiClient api = new ApiClient(port);
        try {
            awaitReady(last, api);
            restartMillis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
            Set<Acknowledged> present = new HashSet<>();
            for (long contact : contacts) {
                JsonNode verification = api.get("/v1/contacts/" + contact + "/events/verify", adminKey)
                        .json();
                assertThat(verification.get("valid").asBoolean())
                        .as(verification.toString())
                        .isTrue();
                long after = 0;
                JsonNode page;
                do {
                    page = api.get("/v1/contacts/" + contact + "/events?limit=1000&afterSeq=" + after, adminKey)
                            .json();
                    for (JsonNode event : page.get("events")) {
                        present.add(new Acknowledged(
                                contact,
                                event.get("seq").asLong(),
                                event.get("action").asString()));
                        after = event.get("seq").asLong();
                    }
                } while (!page.get("nextAfterSeq").isNull());
            }
            Set<Acknowledged> lost = new HashSet<>(acknowledged);
            lost.removeAll(present);
            System.out.printf(
                    "crash restarts: %d writes acknowledged, %d present, %d lost; starts took %s ms%n",
                    acknowledged.size(), acknowledged.size() - lost.size(), lost.size(), restartMillis);
            assertThat(acknowledged).hasSizeGreaterThan(100);
            assertThat(lost).isEmpty();
        } finally {
            last.destroy();
            last.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Writers post single changes until the node is killed with SIGKILL in the middle of them. */
    private static void writeUntilKilled(
            ApiClient api, String key, List<Long> contacts, Process node, Set<Acknowledged> acknowledged)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    long contact = contacts.get((writer + i * WRITERS) % contacts.size());
                    String action = i % 2 == 0 ? "OPT_IN" : "OPT_OUT";
                    try {
                        ApiClient.Response response = api.post(
                                "/v1/subscriptions/changes",
                                key,
                                ApiClient.json(Map.of(
                                        "items",
                                        List.of(Map.of(
                                                "contactId",
                                                contact,
                                                "channel",
                                                "EMAIL",
                                                "topic",
                                                "marketing",
                                                "action",
                                                action)))));
                        if (response.status() == 200) {
                            JsonNode result = response.json().get("results").get(0);
                            acknowledged.add(new Acknowledged(
                                    contact, result.get("eventSeq").asLong(), action));
                        }
                    } catch (RuntimeException e) {
                        // the node is gone: this write was never acknowledged
                    }
                }
            });
        }
        Thread.sleep(4_000);
        node.destroyForcibly();
        node.waitFor();
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static String workspace(ApiClient api) {
        ApiClient.Response created = api.post(
                "/v1/workspaces", ApiTest.SYSTEM_KEY, ApiClient.json(Map.of("name", "crash", "defaultRegion", "US")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("adminKey").get("key").asString();
    }

    private Process node(int port, int round) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                classpath,
                OptLedgerApplication.class.getName(),
                "--server.port=" + port,
                "--optledger.data-dir=" + dataDir,
                "--management.server.port=0",
                "--optledger.bootstrap-api-key=" + ApiTest.SYSTEM_KEY,
                "--logging.structured.format.console=");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/crash-restart-" + round + ".log"))
                .start();
    }

    private static void awaitReady(Process process, ApiClient api) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!ready(api)) {
            assertThat(process.isAlive())
                    .as("the node died: see target/crash-restart-*.log")
                    .isTrue();
            assertThat(System.nanoTime()).as("the node did not start in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static boolean ready(ApiClient api) {
        try {
            return api.get("/readyz", null).status() == 200;
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
