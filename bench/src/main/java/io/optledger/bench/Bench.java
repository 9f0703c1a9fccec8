package io.optledger.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark: the service and raw PostgreSQL doing the same work on the same machine in one run. Prints one table
 * and writes it to {@code bench/results/}.
 */
public final class Bench {

    static final String KEY = "olk_bench_key_0123456789abcdef";
    private static final int BATCH = 100;
    /** The Attentive sign-up unit the seed creates. */
    private static volatile String signUpUnit = "";

    private static final String CAPILLARY_AUTHORIZATION = "Basic "
            + java.util.Base64.getEncoder()
                    .encodeToString(("bench:" + md5Hex(KEY)).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path work = options.workDir();
        Files.createDirectories(work);
        System.out.printf(
                Locale.ROOT,
                "OptLedger benchmark: %,d contacts, warm-up %ds, measure %ds, %d clients, service heap %s, %d cores%n",
                options.contacts(),
                options.warmup().toSeconds(),
                options.measure().toSeconds(),
                options.clients(),
                options.heap(),
                Runtime.getRuntime().availableProcessors());

        EmbeddedPostgres embedded = null;
        String url = options.databaseUrl();
        String user = options.databaseUser();
        String password = options.databasePassword();
        if (url == null) {
            Path pgData = work.resolve("postgres");
            deleteRecursively(pgData);
            // durable, as the service's own embedded server runs (platform.EmbeddedDatabaseConfiguration): the raw
            // baselines pay an fsync per commit too, so the ratios compare like with like
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(true);
            DURABLE.forEach(builder::setServerConfig);
            embedded = builder.start();
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "postgres";
            System.out.println("PostgreSQL: embedded, fresh, port " + embedded.getPort());
        } else {
            System.out.println("PostgreSQL: " + url);
        }
        String durability = durability(url, user, password);
        System.out.println("PostgreSQL durability: " + durability);

        List<Row> rows = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.start(
                options.jar(),
                options.heap(),
                freePort(),
                url,
                user,
                password,
                KEY,
                work.resolve("service.log"),
                options.jfr() ? work.resolve("service.jfr").toAbsolutePath() : null)) {
            System.out.println("Service: pid " + service.pid() + ", port " + service.port());
            long seedStart = System.nanoTime();
            seed(url, user, password, service, options.contacts());
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            System.out.printf(Locale.ROOT, "Seeded in %.1f s (not timed below)%n%n", seedSeconds);

            int contacts = options.contacts();
            int clients = options.clients();
            // on 2 cores the JIT needs about a minute of every kind of request before the service runs at speed
            long jitStart = System.nanoTime();
            new Load(service, options.jitWarmup(), Duration.ofSeconds(1))
                    .closed("JIT warm-up", clients, 1, r -> switch (r.nextInt(7)) {
                        case 0 -> HttpConnection.get("/livez", KEY);
                        case 1 -> eligibilityGet(r, contacts);
                        case 2 -> eligibilityBatch(r, contacts);
                        case 3 -> changes(r, contacts, BATCH);
                        case 4 -> capillaryChanges(r, contacts, BATCH);
                        case 5 -> r.nextBoolean() ? altcraftSet(r, contacts) : attentiveSubscribe(r, contacts);
                        default -> changes(r, contacts, 1);
                    });
            System.out.printf(
                    Locale.ROOT, "JIT warm-up: %.0f s (not measured)%n", (System.nanoTime() - jitStart) / 1e9);
            Load load = new Load(service, options.warmup(), options.measure());

            // batch lookups first: they also leave every address in the cache, as a long-running node has it
            Load.Result batchReads =
                    report(load.closed("batch eligibility", clients, BATCH, r -> eligibilityBatch(r, contacts)));
            Load.Result reads = report(load.closed("eligibility reads", clients, 1, r -> eligibilityGet(r, contacts)));
            // after the reads: the probe path is the last to reach full JIT speed, and first it read low by half
            Load.Result ceiling =
                    report(load.closed("HTTP ceiling", clients, 1, r -> HttpConnection.get("/livez", KEY)));
            Load.Result batchWrites =
                    report(load.closed("batch writes", clients, BATCH, r -> changes(r, contacts, BATCH)));
            Load.Result singleWrites =
                    report(load.closed("single writes (peak)", clients, 1, r -> changes(r, contacts, 1)));
            Load.Result altcraftWrites =
                    report(load.closed("altcraft set (single)", clients, 1, r -> altcraftSet(r, contacts)));
            Load.Result attentiveWrites = report(
                    load.closed("attentive subscribe (single)", clients, 1, r -> attentiveSubscribe(r, contacts)));
            Load.Result capillaryWrites = report(load.closed(
                    "capillary v1.1 batch writes", clients, BATCH, r -> capillaryChanges(r, contacts, BATCH)));
            if (options.probe()) {
                // a quick look while profiling: no open loops, no baselines, no report
                return;
            }
            List<Load.Result> open = new ArrayList<>();
            for (int percent : new int[] {25, 50, 80}) {
                double rate = singleWrites.requestsPerSecond() * percent / 100;
                open.add(report(load.open(
                        String.format(Locale.ROOT, "single writes open %d%% (%.0f/s)", percent, rate),
                        rate,
                        Math.max(16, clients * 2),
                        1,
                        r -> changes(r, contacts, 1))));
            }
            Load.Result mixed = report(load.closed(
                    "mixed 90% reads",
                    clients, 1, r -> r.nextInt(10) == 0 ? changes(r, contacts, 1) : eligibilityGet(r, contacts)));

            RawBaselines raw = new RawBaselines(url, user, password, contacts, options.warmup(), options.measure());
            raw.setUp();
            int rawThreads = options.rawThreads();
            Load.Result rawA = report(raw.singleChanges(rawThreads));
            Load.Result rawB = report(raw.batchChanges(rawThreads, BATCH));
            Load.Result rawC = report(raw.pointSelects(rawThreads));

            rows.add(Row.of("batch writes (changes/s)", batchWrites, rawB, 0.5));
            rows.add(Row.of("single writes, peak (changes/s)", singleWrites, rawA, 0.5));
            rows.add(Row.of("capillary v1.1 batch (changes/s) vs batch writes", capillaryWrites, batchWrites, 0.8));
            rows.add(Row.of("altcraft set (changes/s) vs single writes", altcraftWrites, singleWrites, 0.5));
            rows.add(Row.of("attentive subscribe (changes/s) vs single writes", attentiveWrites, singleWrites, 0.5));
            for (Load.Result result : open) {
                rows.add(Row.of(result.name(), result, null, 0));
            }
            rows.add(Row.of("eligibility reads (req/s) vs raw (c)", reads, rawC, 0.6));
            rows.add(Row.of("eligibility reads (req/s) vs HTTP ceiling", reads, ceiling, 0.9));
            rows.add(Row.of("batch eligibility (lookups/s) vs raw (c)", batchReads, rawC, 1.0));
            rows.add(Row.of("HTTP ceiling (req/s)", ceiling, null, 0));
            rows.add(Row.of("mixed 90/10 (req/s)", mixed, null, 0));
            rows.add(Row.of(rawA.name() + " (tx/s)", rawA, null, 0));
            rows.add(Row.of(rawB.name() + " (changes/s)", rawB, null, 0));
            rows.add(Row.of(rawC.name() + " (selects/s)", rawC, null, 0));

            Report report = new Report(options, seedSeconds, service.maxRssMb(), rows, open.get(1), durability);
            System.out.println();
            System.out.println(report.table());
            report.write(
                    options.resultsDir(), LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** One line of the table: a service figure beside its raw baseline, and the target ratio, if any. */
    record Row(String scenario, Load.Result service, Load.Result baseline, double target) {
        static Row of(String scenario, Load.Result service, Load.Result baseline, double target) {
            return new Row(scenario, service, baseline, target);
        }

        /** NaN without a baseline, or when the baseline did nothing (it failed: see its errors), never a false "met". */
        double ratio() {
            return baseline == null || baseline.unitsPerSecond() == 0
                    ? Double.NaN
                    : service.unitsPerSecond() / baseline.unitsPerSecond();
        }
    }

    private static Load.Result report(Load.Result result) {
        System.out.printf(
                Locale.ROOT,
                "%-40s %10.0f/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  cpu %.3f s/1000  errors %d%n",
                result.name(),
                result.unitsPerSecond(),
                result.percentileMillis(50),
                result.percentileMillis(99),
                result.percentileMillis(99.9),
                result.cpuPerThousandUnits(),
                result.errors());
        return result;
    }

    static String email(long contact) {
        return "c" + contact + "@bench.example";
    }

    private static byte[] eligibilityGet(ThreadLocalRandom random, int contacts) {
        return HttpConnection.get(
                "/v1/eligibility?channel=EMAIL&topic=marketing&email=c" + (1 + random.nextInt(contacts))
                        + "%40bench.example",
                KEY);
    }

    private static byte[] eligibilityBatch(ThreadLocalRandom random, int contacts) {
        StringBuilder json = new StringBuilder(BATCH * 80).append("{\"lookups\":[");
        for (int i = 0; i < BATCH; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"email\":\"")
                    .append(email(1 + random.nextInt(contacts)))
                    .append("\"}");
        }
        return HttpConnection.post(
                "/v1/eligibility/batch", KEY, json.append("]}").toString());
    }

    private static byte[] changes(ThreadLocalRandom random, int contacts, int count) {
        StringBuilder json = new StringBuilder(count * 90).append("{\"items\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"contactId\":")
                    .append(1 + random.nextInt(contacts))
                    .append(",\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"action\":\"")
                    .append(random.nextBoolean() ? "OPT_IN" : "OPT_OUT")
                    .append("\"}");
        }
        return HttpConnection.post(
                "/v1/subscriptions/changes", KEY, json.append("]}").toString());
    }

    /** One opt-in or opt-out through Altcraft's subscriptions/set: the profile by id, its database and resource checked. */
    private static byte[] altcraftSet(ThreadLocalRandom random, int contacts) {
        long contact = 1 + random.nextInt(contacts);
        return HttpConnection.post(
                "/altcraft/api/v1.1/subscriptions/set",
                KEY,
                "{\"token\":\"" + KEY + "\",\"db_id\":1,\"profile_id\":\"" + contact
                        + "\",\"resource_id\":1,\"channel\":\"email\",\"email\":\"" + email(contact)
                        + "\",\"status\":\"" + (random.nextBoolean() ? "subscribed" : "unsubscribed") + "\"}");
    }

    /** A single opt-in by text through Attentive: the person found by phone, the sign-up unit named. */
    private static byte[] attentiveSubscribe(ThreadLocalRandom random, int contacts) {
        return HttpConnection.post(
                "/attentive/v1/subscriptions",
                KEY,
                "{\"user\":{\"phone\":\"" + phone(1 + random.nextInt(contacts)) + "\"},\"signUpSourceId\":\""
                        + signUpUnit + "\",\"singleOptIn\":true}");
    }

    static String phone(long contact) {
        return "+1415" + (2000000 + contact);
    }

    /** The same work as {@link #changes} through the Capillary dialect: customers by email, Basic with md5(key). */
    private static byte[] capillaryChanges(ThreadLocalRandom random, int contacts, int count) {
        StringBuilder json = new StringBuilder(count * 110).append("{\"root\":{\"subscription\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"email\":\"")
                    .append(email(1 + random.nextInt(contacts)))
                    .append("\",\"channel\":\"email\",\"priority\":\"BULK\",\"scope\":\"all\",\"is_subscribed\":\"")
                    .append(random.nextBoolean() ? "1" : "0")
                    .append("\"}");
        }
        return HttpConnection.postAuthorized(
                "/capillary/v1.1/customer/subscriptions?format=json",
                CAPILLARY_AUTHORIZATION,
                json.append("]}}").toString());
    }

    /**
     * Contacts with an email and a phone straight into the tables (they carry no consent), then half of them opted in
     * to marketing email through the API, so the ledger and state are the service's own.
     */
    private static void seed(String url, String user, String password, ServiceProcess service, int contacts)
            throws SQLException, IOException {
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
                    statement.setInt(1, contacts);
                    statement.execute();
                }
            }
        }
        try (HttpConnection http = new HttpConnection("127.0.0.1", service.port())) {
            for (byte[] setup : List.of(
                    HttpConnection.put("/v1/altcraft/databases/1", KEY, "{\"name\":\"bench\"}"),
                    HttpConnection.put(
                            "/v1/altcraft/resources/1",
                            KEY,
                            "{\"name\":\"bench\",\"topic\":\"marketing\",\"channels\":[\"email\"]}"))) {
                HttpConnection.Response response = http.exchange(setup);
                if (response.status() != 200) {
                    throw new IllegalStateException("setup failed: " + response.status() + " " + response.text());
                }
            }
            HttpConnection.Response unit = http.exchange(HttpConnection.post(
                    "/v1/sign-up-units",
                    KEY,
                    "{\"name\":\"bench\",\"channel\":\"TEXT\",\"subscriptionType\":\"MARKETING\",\"locale\":"
                            + "{\"language\":\"en\",\"country\":\"US\"},\"singleOptInAllowed\":true,"
                            + "\"disclosure\":\"bench terms\"}"));
            if (unit.status() != 201) {
                throw new IllegalStateException("setup failed: " + unit.status() + " " + unit.text());
            }
            signUpUnit = unit.text().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            int perCall = 1000;
            for (int from = 2; from <= contacts; from += 2 * perCall) {
                StringBuilder json = new StringBuilder(perCall * 80).append("{\"items\":[");
                for (int id = from, n = 0; id <= contacts && n < perCall; id += 2, n++) {
                    json.append(n == 0 ? "" : ",")
                            .append("{\"contactId\":")
                            .append(id)
                            .append(
                                    ",\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"action\":\"OPT_IN\",\"source\":\"seed\"}");
                }
                HttpConnection.Response response = http.exchange(HttpConnection.post(
                        "/v1/subscriptions/changes", KEY, json.append("]}").toString()));
                if (response.status() != 200) {
                    throw new IllegalStateException("seeding failed: " + response.status() + " " + response.text());
                }
            }
        }
    }

    private static String md5Hex(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The embedded server's settings: the service's own (durable, sized for a small machine). */
    private static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on",
            "max_connections", "200",
            "shared_buffers", "128MB",
            "max_wal_size", "1GB",
            "checkpoint_timeout", "15min",
            "checkpoint_completion_target", "0.9");

    /** What the server says of its durability, for the report's header: both sides run on it. */
    private static String durability(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("select current_setting('fsync'),"
                        + " current_setting('synchronous_commit'), current_setting('full_page_writes')")) {
            rs.next();
            return "fsync=" + rs.getString(1) + ", synchronous_commit=" + rs.getString(2) + ", full_page_writes="
                    + rs.getString(3) + " (the service and the raw baselines alike)";
        }
    }
}
