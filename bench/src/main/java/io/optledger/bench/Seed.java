package io.optledger.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data every scenario starts from. Contacts with an email and a phone go straight into the tables (they carry no
 * consent yet: set-based inserts, the fastest way in); then half of them are opted in to marketing email through the
 * API, so the ledger and the state are the service's own.
 */
final class Seed {

    private static final int PER_CALL = 1000;
    private static final int SEED_CONNECTIONS = 4;

    private Seed() {}

    /** Contacts 1 to {@code contacts}, and contact {@code contacts + 1} for the long ledger. */
    static void contacts(String url, String user, String password, int contacts) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            for (String sql : List.of(
                    // every contact is also an Altcraft profile of database 1
                    "insert into contacts (workspace_id, id, attributes, created_at, updated_at)"
                            + " select 1, g, '{\"altcraftDbId\":\"1\"}', now(), now() from generate_series(1, ?) g",
                    "insert into identifiers (workspace_id, name, value, contact_id, created_at)"
                            + " select 1, 'email', 'c' || g || '@bench.example', g, now() from generate_series(1, ?) g",
                    "insert into identifiers (workspace_id, name, value, contact_id, created_at)"
                            + " select 1, 'phone', '+1415' || (2000000 + g), g, now() from generate_series(1, ?) g",
                    "select setval('contact_id_seq', greatest(?, 1))")) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    // the last contact is the long-ledger one: all of them get the same identifiers
                    statement.setInt(1, contacts + 1);
                    statement.execute();
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("analyze");
            }
        }
    }

    /**
     * Vacuums, analyses and checkpoints the database after the JIT warm-up, so the autovacuum and the checkpoint its
     * writes set off do not share the cores with the first measured scenarios (as the raw tables get before theirs).
     * Answers what it did, for the log.
     */
    static String settle(String url, String user, String password) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("vacuum (analyze)");
            return String.format(
                    Locale.ROOT,
                    "Settled after the warm-up: vacuumed, analysed, %s in %.1f s (not measured)",
                    RawBaselines.checkpoint(statement),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** The dialects' setup, then every even contact opted in to marketing email, 1,000 per call. */
    static void consent(ServiceProcess service, int contacts) throws IOException, InterruptedException {
        try (HttpConnection http = new HttpConnection("127.0.0.1", service.port())) {
            for (byte[] setup : List.of(
                    HttpConnection.put("/v1/altcraft/databases/1", Scenarios.KEY, "{\"name\":\"bench\"}"),
                    HttpConnection.put(
                            "/v1/altcraft/resources/1",
                            Scenarios.KEY,
                            "{\"name\":\"bench\",\"topic\":\"marketing\",\"channels\":[\"email\"]}"))) {
                expect(http.exchange(setup), 200, "setup");
            }
            HttpConnection.Response unit = expect(
                    http.exchange(HttpConnection.post(
                            "/v1/sign-up-units",
                            Scenarios.KEY,
                            "{\"name\":\"bench\",\"channel\":\"TEXT\",\"subscriptionType\":\"MARKETING\",\"locale\":"
                                    + "{\"language\":\"en\",\"country\":\"US\"},\"singleOptInAllowed\":true,"
                                    + "\"disclosure\":\"bench terms\"}")),
                    201,
                    "setup");
            Scenarios.signUpUnit = unit.text().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        }
        // disjoint contacts per call, so a few connections at once never wait on each other's locks
        Exception failure = inParallel(service, 2, 2 * PER_CALL, contacts, from -> {
            StringBuilder json = new StringBuilder(PER_CALL * 100).append("{\"items\":[");
            for (int id = from, n = 0; id <= contacts && n < PER_CALL; id += 2, n++) {
                json.append(n == 0 ? "" : ",")
                        .append("{\"contactId\":")
                        .append(id)
                        .append(",\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"action\":\"OPT_IN\","
                                + "\"source\":\"seed\"}");
            }
            return HttpConnection.post(
                    "/v1/subscriptions/changes",
                    Scenarios.KEY,
                    json.append("]}").toString());
        });
        if (failure != null) {
            throw new IllegalStateException("seeding failed", failure);
        }
    }

    /**
     * Every contact's email looked up once through the batch eligibility call (1,000 per call), so the reads find the
     * node's cache as a long-running node has it, however fast this machine is today. Best effort: a failure is
     * printed, and the reads then meet a colder cache.
     */
    static void warmCache(ServiceProcess service, int contacts) throws InterruptedException {
        Exception failure = inParallel(service, 1, PER_CALL, contacts, from -> {
            StringBuilder json = new StringBuilder(PER_CALL * 80).append("{\"lookups\":[");
            for (int id = from; id <= contacts && id < from + PER_CALL; id++) {
                json.append(id == from ? "" : ",")
                        .append("{\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"email\":\"")
                        .append(Scenarios.email(id))
                        .append("\"}");
            }
            return HttpConnection.post(
                    "/v1/eligibility/batch", Scenarios.KEY, json.append("]}").toString());
        });
        if (failure != null) {
            System.out.println("Cache warm-up incomplete (the reads meet a colder cache): " + failure);
        }
    }

    /** The request for the chunk of contacts starting at {@code from}. */
    private interface Chunk {
        byte[] request(int from);
    }

    /**
     * One request per chunk of contacts, from {@code first} up to {@code last} in steps of {@code step}, on a few
     * connections at once; each must answer 200. The first failure, or null.
     */
    private static Exception inParallel(ServiceProcess service, int first, int step, int last, Chunk chunk)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger(first);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < SEED_CONNECTIONS; t++) {
            threads.add(Thread.ofPlatform().name("seed-" + t).start(() -> {
                try (HttpConnection http = new HttpConnection("127.0.0.1", service.port())) {
                    for (int from = next.getAndAdd(step);
                            from <= last && failure.get() == null;
                            from = next.getAndAdd(step)) {
                        HttpConnection.Response response = exchange(http, chunk.request(from));
                        if (response.status() != 200) {
                            throw new IllegalStateException(response.status() + " " + response.text());
                        }
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return failure.get();
    }

    /** Sends a request, again after a pause while the service sheds load (503), a few times at most. */
    private static HttpConnection.Response exchange(HttpConnection http, byte[] request)
            throws IOException, InterruptedException {
        HttpConnection.Response response = http.exchange(request);
        for (int retries = 0; response.status() == 503 && retries < 10; retries++) {
            Thread.sleep(500);
            response = http.exchange(request);
        }
        return response;
    }

    static HttpConnection.Response expect(HttpConnection.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + " failed: " + response.status() + " " + response.text());
        }
        return response;
    }
}
