package io.optledger.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.optledger.support.ApiClient;
import io.optledger.support.ServiceProcess;
import io.optledger.support.SharedDatabase;
import io.optledger.support.TestWorkspace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13: two service processes on one PostgreSQL, a slow SMS gateway, and injected faults: a third of the cache
 * invalidation inserts drop their own connection, a random application connection is terminated every 700 ms, and
 * one node is stopped ({@code SIGSTOP}) for 2 s. Under concurrent load on both nodes: every text is sent once, every
 * idempotency key applies once, no registration deadlock surfaces, no node answers "eligible" for an opted-out or
 * suppressed address more than the documented 1 s after the change was acknowledged, and every ledger verifies.
 * Only 200s, 201s and 503s (with {@code Retry-After}) are answered. Slow (real processes): {@code mvn -Pslow verify}.
 */
@Tag("slow")
class TwoNodeFaultTests {

    private static final Duration STALENESS_BOUND = Duration.ofSeconds(1);
    private static final int PEOPLE = 20;
    private static final int KEYS = 30;
    private static final int TEXTS = 30;
    private static final int REGISTRATIONS = 40;

    /** Every status answered under load, for the report. */
    private static final Map<Integer, Long> ANSWERS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    /** An eligibility read on a node: when it was sent, of which address, and its answer. */
    record Read(long startedNanos, int person, boolean eligible) {}

    @Test
    void underInjectedFaultsNothingIsSentTwiceAppliedTwiceOrReadStaleBeyondTheBound() throws Exception {
        WireMockServer gateway = new WireMockServer(wireMockConfig().dynamicPort());
        gateway.start();
        gateway.stubFor(
                post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(202).withFixedDelay(300)));
        try (SharedDatabase database = SharedDatabase.start(dir.resolve("pg"))) {
            List<String> arguments = database.nodeArguments(
                    dir.resolve("node"),
                    "--optledger.sms.sender=http",
                    "--optledger.sms.http.url=" + gateway.baseUrl() + "/sms",
                    "--optledger.sms.from=+15550001111",
                    "--optledger.messaging.poll-interval=100ms");
            try (ServiceProcess a = ServiceProcess.start("two-nodes-a", arguments);
                    ServiceProcess b = ServiceProcess.start("two-nodes-b", arguments);
                    Connection owner = database.owner();
                    Connection faults = database.owner()) {
                run(a, b, gateway, owner.createStatement(), faults.createStatement());
            }
        } finally {
            gateway.stop();
        }
    }

    private void run(ServiceProcess a, ServiceProcess b, WireMockServer gateway, Statement owner, Statement faults)
            throws Exception {
        TestWorkspace workspace = TestWorkspace.create(a.api());
        String key = workspace.adminKey();
        List<ApiClient> nodes = List.of(a.api(), b.api());

        // registrations from both nodes, identifiers in opposite orders, no faults: every answer 2xx, one contact
        int registrationErrors = registrations(nodes, key);

        List<Long> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            long contact = workspace.contact("p" + i + "@example.com", "+1415555" + (3000 + i));
            people.add(contact);
            assertThat(change(a.api(), key, contact, "OPT_IN", null).status()).isEqualTo(200);
        }
        List<Long> keyed = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keyed.add(workspace.contact("k" + i + "@example.com", "+1415555" + (3100 + i)));
        }
        for (int i = 0; i < TEXTS; i++) {
            ApiClient.Response help = nodes.get(i % 2)
                    .post("/v1/inbound/sms", key, "{\"from\": \"+1415555" + (3200 + i) + "\", \"body\": \"HELP\"}");
            assertThat(help.status()).as(help.text()).isEqualTo(200);
        }

        // faults on: a third of the invalidation inserts drop their connection; a connection terminated every 700 ms
        owner.execute("create table fault_switch (on_ boolean not null)");
        owner.execute("insert into fault_switch values (true)");
        owner.execute("grant select on fault_switch to optledger");
        owner.execute("""
                create function drop_some_invalidations() returns trigger language plpgsql as $$
                begin
                    if (select on_ from fault_switch) and random() < 0.33 then
                        perform pg_terminate_backend(pg_backend_pid());
                    end if;
                    return new;
                end $$""");
        owner.execute("create trigger drop_some_invalidations before insert on cache_invalidations"
                + " for each row execute function drop_some_invalidations()");
        AtomicBoolean faulting = new AtomicBoolean(true);
        AtomicInteger terminated = new AtomicInteger();
        ExecutorService load = Executors.newVirtualThreadPerTaskExecutor();
        Future<?> terminator = load.submit(() -> {
            while (faulting.get()) {
                try (var rows = faults.executeQuery(
                        "select pg_terminate_backend(pid) from pg_stat_activity where usename = 'optledger'"
                                + " order by random() limit 1")) {
                    while (rows.next()) {
                        terminated.incrementAndGet();
                    }
                }
                Thread.sleep(700);
            }
            return null;
        });

        Map<Integer, Long> unexpected = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
        Map<Integer, Long> acknowledgedAt = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<Future<?>> readers = new ArrayList<>();
        for (ApiClient node : nodes) {
            readers.add(load.submit(() -> read(node, key, reads, unexpected, reading)));
        }
        // each key sent twice to each node at once, before and while the faults run
        List<Future<?>> keyedRequests = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            long contact = keyed.get(i);
            String idempotencyKey = "two-nodes-" + i;
            for (int copy = 0; copy < 4; copy++) {
                ApiClient node = nodes.get(copy % 2);
                keyedRequests.add(load.submit(() -> {
                    ApiClient.Response response = change(node, key, contact, "OPT_IN", idempotencyKey);
                    count(response, unexpected);
                    return null;
                }));
            }
        }
        // opt-outs and suppressions on node a, one person every 400 ms, node b stopped for 2 s in the middle
        for (int i = 0; i < PEOPLE; i++) {
            if (i == 6) {
                signal(b, "-STOP");
            }
            if (i == 11) {
                signal(b, "-CONT");
            }
            long contact = people.get(i);
            int person = i;
            ApiClient.Response done = retrying(
                    () -> person % 2 == 0
                            ? change(a.api(), key, contact, "OPT_OUT", null)
                            : a.api()
                                    .post(
                                            "/v1/suppressions",
                                            key,
                                            ApiClient.json(Map.of(
                                                    "channel", "EMAIL",
                                                    "address", "p" + person + "@example.com",
                                                    "reason", "MANUAL"))),
                    unexpected);
            acknowledgedAt.put(i, System.nanoTime());
            assertThat(done.status()).isIn(200, 201);
            Thread.sleep(400);
        }
        for (Future<?> request : keyedRequests) {
            request.get(2, TimeUnit.MINUTES);
        }
        Thread.sleep(STALENESS_BOUND.toMillis() + 500);
        faulting.set(false);
        reading.set(false);
        terminator.get(1, TimeUnit.MINUTES);
        for (Future<?> reader : readers) {
            reader.get(1, TimeUnit.MINUTES);
        }
        owner.execute("update fault_switch set on_ = false");

        // each key applied once: retried to a 2xx after the faults, its contact has exactly one opt-in
        int keyedTwice = 0;
        for (int i = 0; i < KEYS; i++) {
            long contact = keyed.get(i);
            String idempotencyKey = "two-nodes-" + i;
            assertThat(retrying(() -> change(a.api(), key, contact, "OPT_IN", idempotencyKey), unexpected)
                            .status())
                    .isEqualTo(200);
            long optIns = events(workspace, contact).stream()
                    .filter(event -> event.get("action").asString().equals("OPT_IN"))
                    .count();
            keyedTwice += optIns == 1 ? 0 : 1;
        }

        // every text sent once, however the claims moved between the nodes and their connections dropped
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (gateway.countRequestsMatching(
                                        postRequestedFor(urlEqualTo("/sms")).build())
                                .getCount()
                        < TEXTS
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000);
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Long> textsPerPhone = gateway.findAll(postRequestedFor(urlEqualTo("/sms"))).stream()
                .map(request ->
                        json.readTree(request.getBodyAsString()).get("to").asString())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long duplicateTexts =
                textsPerPhone.values().stream().mapToLong(n -> n - 1).sum();

        // no node answered "eligible" for a person more than the bound after the change was acknowledged
        long staleBeyondBound = reads.stream()
                .filter(read -> read.eligible()
                        && acknowledgedAt.containsKey(read.person())
                        && read.startedNanos() - acknowledgedAt.get(read.person()) > STALENESS_BOUND.toNanos())
                .count();

        Set<Long> touched = ConcurrentHashMap.newKeySet();
        touched.addAll(people);
        touched.addAll(keyed);
        for (long contact : touched) {
            JsonNode verification = workspace.verify(contact);
            assertThat(verification.get("valid").asBoolean())
                    .as(verification.toString())
                    .isTrue();
        }
        System.out.printf(
                "two nodes under faults: %d registrations (%d errors); %d eligibility reads, %d stale beyond %d ms;"
                        + " %d keyed requests over %d keys, %d applied twice; %d texts to %d phones, %d duplicates;"
                        + " %d connections terminated; answers %s, unexpected %s%n",
                REGISTRATIONS * 2,
                registrationErrors,
                reads.size(),
                staleBeyondBound,
                STALENESS_BOUND.toMillis(),
                KEYS * 4,
                KEYS,
                keyedTwice,
                textsPerPhone.values().stream().mapToLong(Long::longValue).sum(),
                textsPerPhone.size(),
                duplicateTexts,
                terminated.get(),
                new java.util.TreeMap<>(ANSWERS),
                unexpected);
        assertThat(registrationErrors).isZero();
        assertThat(staleBeyondBound).isZero();
        assertThat(keyedTwice).isZero();
        assertThat(textsPerPhone).hasSize(TEXTS);
        assertThat(duplicateTexts).isZero();
        assertThat(unexpected).isEmpty();
        assertThat(terminated.get()).isPositive();
        assertThat(reads).hasSizeGreaterThan(100);
        load.shutdownNow();
    }

    /** Registers one person per round on both nodes at once, email first on one, phone first on the other. */
    private static int registrations(List<ApiClient> nodes, String key) throws Exception {
        int errors = 0;
        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < REGISTRATIONS; round++) {
                String email = "r" + round + "@example.com";
                String phone = "+1415555" + (4000 + round);
                Future<ApiClient.Response> first = both.submit(() -> nodes.get(0)
                        .post("/v1/contacts", key, "{\"email\":\"" + email + "\",\"phone\":\"" + phone + "\"}"));
                Future<ApiClient.Response> second = both.submit(() -> nodes.get(1)
                        .post("/v1/contacts", key, "{\"phone\":\"" + phone + "\",\"email\":\"" + email + "\"}"));
                ApiClient.Response one = first.get();
                ApiClient.Response other = second.get();
                if (one.status() / 100 != 2 || other.status() / 100 != 2) {
                    errors++;
                } else {
                    assertThat(one.json().get("id").asLong())
                            .isEqualTo(other.json().get("id").asLong());
                }
            }
        }
        return errors;
    }

    private static void read(
            ApiClient node,
            String key,
            ConcurrentLinkedQueue<Read> reads,
            Map<Integer, Long> unexpected,
            AtomicBoolean reading) {
        while (reading.get()) {
            int person = ThreadLocalRandom.current().nextInt(PEOPLE);
            long started = System.nanoTime();
            ApiClient.Response response =
                    node.get("/v1/eligibility?channel=EMAIL&topic=marketing&email=p" + person + "@example.com", key);
            count(response, unexpected);
            if (response.status() == 200) {
                reads.add(new Read(
                        started, person, response.json().get("eligible").asBoolean()));
            }
        }
    }

    private static ApiClient.Response change(
            ApiClient node, String key, long contact, String action, String idempotencyKey) {
        String body = ApiClient.json(Map.of(
                "items",
                List.of(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action))));
        return idempotencyKey == null
                ? node.post("/v1/subscriptions/changes", key, body)
                : node.post("/v1/subscriptions/changes", key, body, Map.of("Idempotency-Key", idempotencyKey));
    }

    /** Sends until the answer is not a 503 (nothing was done; the service asked to retry), 30 times at most. */
    private static ApiClient.Response retrying(
            java.util.function.Supplier<ApiClient.Response> request, Map<Integer, Long> unexpected)
            throws InterruptedException {
        ApiClient.Response response = request.get();
        for (int attempt = 0; response.status() == 503 && attempt < 30; attempt++) {
            count(response, unexpected);
            Thread.sleep(100);
            response = request.get();
        }
        count(response, unexpected);
        return response;
    }

    /** Counts an answer that is neither 2xx nor a 503 with Retry-After; a 409 is a key still in flight. */
    private static void count(ApiClient.Response response, Map<Integer, Long> unexpected) {
        ANSWERS.merge(response.status(), 1L, Long::sum);
        boolean expected = response.status() / 100 == 2
                || response.status() == 409
                || response.status() == 503 && response.header("Retry-After") != null;
        if (!expected) {
            unexpected.merge(response.status(), 1L, Long::sum);
            System.out.println("unexpected answer " + response.status() + ": " + response.text());
        }
    }

    private static List<JsonNode> events(TestWorkspace workspace, long contact) {
        List<JsonNode> events = new ArrayList<>();
        workspace.events(contact).forEach(events::add);
        return events;
    }

    private static void signal(ServiceProcess node, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", signal, Long.toString(node.pid()))
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
    }
}
