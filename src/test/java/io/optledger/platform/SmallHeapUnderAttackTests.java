package io.optledger.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.optledger.support.RawHttp.chunked;
import static io.optledger.support.RawHttp.drip;
import static io.optledger.support.RawHttp.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.RawHttp;
import io.optledger.support.ServiceProcess;
import io.optledger.support.TestWorkspace;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as its own process with a 256 MB heap, under concurrent bodies claiming or streaming 100 MB (on the
 * Altcraft endpoints, whose credential is in the body, and the native batch), bodies of the largest size taken, and
 * dripped bodies. Afterwards it still answers, its message worker still sends (an SMS queued afterwards reaches the
 * gateway), and its cache invalidations still cross to a second process. Slow (two service processes): run with
 * {@code mvn -Pslow verify}.
 */
@Tag("slow")
class SmallHeapUnderAttackTests {

    // a collection's line in the GC log: heap before -> after (committed)
    private static final Pattern GC_LINE = Pattern.compile("Pause (?:Young|Full).* (\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final int HUNDRED_MB = 100_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static WireMockServer gateway;
    static EmbeddedPostgres postgres;
    static Process attacked;
    static Process other;
    static int attackedPort;
    static int otherPort;
    static Path gcLog = Path.of("target/small-heap-node-gc.log").toAbsolutePath();

    @BeforeAll
    static void start() throws Exception {
        gateway = new WireMockServer(wireMockConfig().dynamicPort());
        gateway.start();
        gateway.stubFor(post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(202)));
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setServerConfig("max_connections", "100")
                .start();
        attackedPort = freePort();
        otherPort = freePort();
        Files.deleteIfExists(gcLog);
        attacked = node(
                "attacked",
                attackedPort,
                List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog),
                "--optledger.sms.sender=http",
                "--optledger.sms.http.url=" + gateway.baseUrl() + "/sms",
                "--optledger.sms.from=+15550001111",
                "--optledger.messaging.poll-interval=100ms",
                "--optledger.limits.body-deadline=5s");
        awaitReady(attacked, attackedPort);
        // the other node sends nothing in this test: only the attacked one's worker can reach the gateway
        other = node(
                "other",
                otherPort,
                List.of("-Xmx256m"),
                "--optledger.messaging.poll-interval=1h",
                "--optledger.workers.message-worker.stall-after=2h");
        awaitReady(other, otherPort);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process process : Arrays.asList(attacked, other)) {
            if (process != null) {
                process.destroy();
                process.waitFor();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
        if (gateway != null) {
            gateway.stop();
        }
    }

    @Test
    void oversizedAndDrippedBodiesLeaveTheServiceAndItsWorkersRunning() throws Exception {
        ApiClient api = new ApiClient(attackedPort);
        TestWorkspace workspace = TestWorkspace.create(api);
        long contact = workspace.contact("heap@example.com", "+14155550142");

        List<Callable<Integer>> attacks = new ArrayList<>();
        byte[] hundredMegabytes = new byte[HUNDRED_MB];
        Arrays.fill(hundredMegabytes, (byte) 'x');
        byte[] justUnderABatch = new byte[2 * 1024 * 1024 - 1];
        Arrays.fill(justUnderABatch, (byte) ' ');
        for (int i = 0; i < 4; i++) {
            attacks.add(() -> status(
                    "/altcraft/api/v1.1/subscriptions/set",
                    "Content-Length: " + HUNDRED_MB,
                    out -> stream(out, hundredMegabytes)));
            attacks.add(() -> status(
                    "/altcraft/api/v1.1/subscriptions/set",
                    "Transfer-Encoding: chunked",
                    chunked(hundredMegabytes, true)));
            attacks.add(() ->
                    status("/v1/subscriptions/changes", "Transfer-Encoding: chunked", chunked(hundredMegabytes, true)));
            attacks.add(() -> status(
                    "/v1/subscriptions/changes",
                    "Content-Length: 1000",
                    drip("x".repeat(1000).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1))));
            // the largest body a batch takes, read whole, then refused for want of a key
            attacks.add(() -> status(
                    "/v1/eligibility/batch",
                    "Content-Length: " + justUnderABatch.length,
                    out -> out.write(justUnderABatch)));
            attacks.add(() -> status(
                    "/v1/eligibility/batch",
                    "Content-Length: " + justUnderABatch.length,
                    out -> out.write(justUnderABatch)));
        }
        // and, among them, real work: authenticated batches of the most lookups one takes, parsed and answered
        String lookups = ApiClient.json(Map.of(
                "lookups",
                java.util.stream.IntStream.range(0, 1_000)
                        .mapToObj(i -> Map.of(
                                "channel",
                                "EMAIL",
                                "topic",
                                "marketing",
                                "email",
                                "a".repeat(200) + i + "@example.com"))
                        .toList()));
        for (int i = 0; i < 8; i++) {
            attacks.add(() -> api.post("/v1/eligibility/batch", workspace.adminKey(), lookups)
                    .status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> answer : clients.invokeAll(attacks)) {
                statuses.add(answer.get());
            }
        }
        assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(200, 401, 408, 413, 503));
        assertThat(statuses).contains(200, 401, 408, 413);
        assertThat(attacked.isAlive()).isTrue();

        // it still answers, and writes
        assertThat(api.get("/readyz", null).status()).isEqualTo(200);
        ApiClient.Response optIn = workspace.change(
                Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        assertThat(optIn.status()).as(optIn.text()).isEqualTo(200);

        // its message worker still sends: a text queued now reaches the gateway
        ApiClient.Response help =
                api.post("/v1/inbound/sms", workspace.adminKey(), "{\"from\": \"+14155550142\", \"body\": \"HELP\"}");
        assertThat(help.status()).as(help.text()).isEqualTo(200);
        assertThat(within(
                        Duration.ofSeconds(15),
                        () -> !gateway.findAll(postRequestedFor(urlEqualTo("/sms"))
                                        .withRequestBody(containing("+14155550142")))
                                .isEmpty()))
                .as("the attacked node's worker sent the HELP reply")
                .isTrue();

        // its cache invalidations still cross processes, both ways
        ApiClient otherApi = new ApiClient(otherPort);
        String query = "/v1/eligibility?channel=EMAIL&topic=marketing&email=heap@example.com";
        assertThat(eligible(api, workspace, query)).isTrue();
        assertThat(within(Duration.ofSeconds(2), () -> eligible(otherApi, workspace, query)))
                .isTrue();
        assertThat(otherApi.post(
                                "/v1/subscriptions/changes",
                                workspace.adminKey(),
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
                                                "OPT_OUT")))))
                        .status())
                .isEqualTo(200);
        assertThat(within(Duration.ofSeconds(2), () -> !eligible(api, workspace, query)))
                .as("an opt-out on the other node reaches the attacked node's cache")
                .isTrue();

        String log = Files.readString(Path.of("target/small-heap-attacked.log"));
        assertThat(log).doesNotContain("OutOfMemoryError");
        int peak = 0;
        int live = 0;
        Matcher gc = GC_LINE.matcher(Files.readString(gcLog));
        while (gc.find()) {
            peak = Math.max(peak, Integer.parseInt(gc.group(1)));
            live = Math.max(live, Integer.parseInt(gc.group(2)));
        }
        System.out.printf(
                "small heap under attack: %d requests %s; heap at most %d MB before a collection, %d MB after%n",
                statuses.size(), count(statuses), peak, live);
        assertThat(peak).isLessThanOrEqualTo(256);
    }

    /** Writes the body as fast as the server takes it, until it is written or the server closes. */
    private static void stream(OutputStream out, byte[] body) throws IOException {
        for (int offset = 0; offset < body.length; offset += 64 * 1024) {
            out.write(body, offset, Math.min(64 * 1024, body.length - offset));
        }
    }

    private static int status(String path, String framing, RawHttp.BodyWriter body) {
        try {
            return exchange(
                            attackedPort,
                            "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + framing,
                            body,
                            TIMEOUT)
                    .status();
        } catch (IOException e) {
            throw new IllegalStateException("no answer from " + path + " (" + framing + ")", e);
        }
    }

    private static Map<Integer, Long> count(List<Integer> statuses) {
        return statuses.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        status -> status, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static boolean eligible(ApiClient node, TestWorkspace workspace, String query) {
        ApiClient.Response response = node.get(query, workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("eligible").asBoolean();
    }

    private static boolean within(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        do {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return condition.getAsBoolean();
    }

    private static Process node(String name, int port, List<String> jvm, String... arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--optledger.data-dir=" + dataDir.resolve(name),
                // the nodes of one deployment share the ledger signing keys
                // (docs/operations.md#ledger-signing-keys-and-checkpoints)
                "--optledger.ledger.keys.folder=" + dataDir.resolve("keys"),
                "--management.server.port=0",
                "--optledger.bootstrap-api-key=" + ApiTest.SYSTEM_KEY,
                "--logging.structured.format.console="));
        all.addAll(List.of(arguments));
        List<String> command = ServiceProcess.mainCommand(jvm, all);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/small-heap-" + name + ".log"))
                .start();
    }

    private static void awaitReady(Process process, int port) throws InterruptedException {
        ApiClient client = new ApiClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!ready(client)) {
            assertThat(process.isAlive())
                    .as("a node died: see target/small-heap-*.log")
                    .isTrue();
            assertThat(System.nanoTime()).as("a node did not start in time").isLessThan(deadline);
            Thread.sleep(200);
        }
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
