package io.optledger.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark: the service and raw PostgreSQL doing the same work on the same machine in one run. Prints one table
 * and writes it to {@code bench/results/}.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!options.compare().isEmpty()) {
            System.out.print(
                    Compare.table(options.compare().get(0), options.compare().get(1)));
            return;
        }
        long runStart = System.nanoTime();
        Path work = options.workDir();
        Files.createDirectories(work);
        System.out.printf(
                Locale.ROOT,
                "OptLedger benchmark: %,d contacts, warm-up %ds, %d windows of %ds, %d clients, service heap %s, %d"
                        + " cores%n",
                options.contacts(),
                options.warmup().toSeconds(),
                options.windows(),
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
            if (options.statements()) {
                Statements.SERVER_CONFIG.forEach(builder::setServerConfig);
            }
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

        try (ServiceProcess service = ServiceProcess.start(
                options.jar(),
                options.heap(),
                freePort(),
                url,
                user,
                password,
                Scenarios.KEY,
                work.resolve("service.log"),
                options.jfr() ? work.resolve("service.jfr").toAbsolutePath() : null)) {
            System.out.println("Service: pid " + service.pid() + ", port " + service.port());
            long seedStart = System.nanoTime();
            Seed.contacts(url, user, password, options.contacts());
            System.out.printf(Locale.ROOT, "Contacts inserted in %.1f s%n", (System.nanoTime() - seedStart) / 1e9);
            Seed.consent(service, options.contacts());
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            System.out.printf(Locale.ROOT, "Seeded in %.1f s (not timed below)%n%n", seedSeconds);

            if (options.statements()) {
                Statements.start(url, user, password);
            }
            Results results = measure(options, service, url, user, password);
            if (results == null) {
                return;
            }
            Report report = new Report(options, seedSeconds, (System.nanoTime() - runStart) / 1e9, durability, results);
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

    /** Every scenario in order; null after the closed loops with {@code --probe}. */
    private static Results measure(Options options, ServiceProcess service, String url, String user, String password)
            throws Exception {
        int contacts = options.contacts();
        int clients = options.clients();
        // on 2 cores the JIT needs about a minute of every kind of request before the service runs at speed
        long jitStart = System.nanoTime();
        new Load(service, options.jitWarmup(), Duration.ofSeconds(1), 1)
                .closed("JIT warm-up", clients, 1, r -> switch (r.nextInt(8)) {
                    case 0 -> HttpConnection.get("/livez", Scenarios.KEY);
                    case 1 -> Scenarios.eligibilityGet(r, contacts);
                    case 2 -> Scenarios.eligibilityBatch(r, contacts);
                    case 3 -> Scenarios.changes(r, contacts, Scenarios.BATCH);
                    case 4 -> Scenarios.capillaryChanges(r, contacts, Scenarios.BATCH);
                    case 5 ->
                        r.nextBoolean()
                                ? Scenarios.altcraftSet(r, contacts)
                                : Scenarios.attentiveSubscribe(r, contacts);
                    case 6 -> Scenarios.signUp(r);
                    default -> Scenarios.changes(r, contacts, 1);
                });
        System.out.printf(Locale.ROOT, "JIT warm-up: %.0f s (not measured)%n", (System.nanoTime() - jitStart) / 1e9);
        System.out.println(Seed.settle(url, user, password));
        long warmStart = System.nanoTime();
        Seed.warmCache(service, contacts);
        System.out.printf(
                Locale.ROOT,
                "Cache warm-up: every address looked up once in %.1f s (not measured)%n",
                (System.nanoTime() - warmStart) / 1e9);
        Load load = new Load(service, options.warmup(), options.measure(), options.windows());
        int batch = Scenarios.BATCH;
        Statements.reset();

        Measured batchReads =
                print(load.closed("batch eligibility", clients, batch, r -> Scenarios.eligibilityBatch(r, contacts)));
        Measured reads =
                print(load.closed("eligibility reads", clients, 1, r -> Scenarios.eligibilityGet(r, contacts)));
        // after the reads: the probe path is the last to reach full JIT speed, and first it read low by half
        Measured ceiling =
                print(load.closed("HTTP ceiling", clients, 1, r -> HttpConnection.get("/livez", Scenarios.KEY)));
        Measured batchWrites = print(load.closed(
                "batch writes", clients, batch, r -> Scenarios.changes(r, contacts, batch), Scenarios.CHANGES));
        Measured singleWrites = print(load.closed(
                "single writes (peak)", clients, 1, r -> Scenarios.changes(r, contacts, 1), Scenarios.CHANGES));
        Measured signUps = print(
                load.closed("single writes, sign-up (new emails)", clients, 1, Scenarios::signUp, Scenarios.CHANGES));
        Measured altcraft =
                print(load.closed("altcraft set (single)", clients, 1, r -> Scenarios.altcraftSet(r, contacts)));
        Measured attentive = print(load.closed(
                "attentive subscribe (single)", clients, 1, r -> Scenarios.attentiveSubscribe(r, contacts)));
        Measured capillary = print(load.closed(
                "capillary v1.1 batch writes", clients, batch, r -> Scenarios.capillaryChanges(r, contacts, batch)));
        int connections = Math.max(16, clients * 2);
        if (options.probe()) {
            // a quick look while profiling: the lightest open loop last (a recording's final half minute is its own),
            // no other open loops, no baselines, no report
            double quarter = singleWrites.median() * 25 / 100;
            print(singleWritesOpen(load, 25, quarter, connections, contacts, url, user, password));
            System.out.println("service peak RSS so far: " + service.maxRssMb() + " MB");
            return null;
        }
        Measured[] open = new Measured[3];
        int[] percents = {25, 50, 80};
        double[] rates = new double[3];
        for (int i = 0; i < 3; i++) {
            rates[i] = singleWrites.median() * percents[i] / 100;
            open[i] = print(singleWritesOpen(load, percents[i], rates[i], connections, contacts, url, user, password));
        }
        // the write scenarios before invalidated most addresses: the mixed reads meet the cache as the pure reads did,
        // so that its rate compares like with like with the rate predicted from them
        Seed.warmCache(service, contacts);
        Measured mixed = print(load.closed(
                "mixed 90% reads",
                clients,
                1,
                r -> r.nextInt(10) == 0 ? Scenarios.changes(r, contacts, 1) : Scenarios.eligibilityGet(r, contacts),
                Load.Check.STATUS));
        WebhookScenario.Outcome webhook =
                WebhookScenario.run(service, load, singleWrites.median() * 0.5, connections, contacts);
        print(webhook.writes());
        LongLedger.Outcome ledger = options.ledgerEvents() > 0 ? LongLedger.run(service, options) : null;

        RawBaselines raw =
                new RawBaselines(url, user, password, contacts, options.warmup(), options.measure(), options.windows());
        System.out.println(raw.setUp());
        int rawThreads = options.rawThreads();
        Measured rawA = print(raw.singleChanges(rawThreads));
        Measured rawB = print(raw.batchChanges(rawThreads, batch));
        Measured rawC = print(raw.pointSelects(rawThreads));
        // the service's single-write tail beside a raw one-change transaction's at the same arrival rates
        Measured[] rawOpen = new Measured[2];
        for (int i = 0; i < 2; i++) {
            checkpointBeforeOpenLoop(url, user, password);
            rawOpen[i] = print(raw.singleChangesOpen(
                    String.format(Locale.ROOT, "raw (a) open %d%% (%.0f/s)", percents[i], rates[i]),
                    rates[i],
                    rawThreads));
        }
        // last: it adds contacts and subscriptions no other scenario expects
        ImportScenario.Outcome imports =
                options.importRows() > 0 ? ImportScenario.run(service, url, user, password, options) : null;
        return new Results(
                batchReads,
                reads,
                ceiling,
                batchWrites,
                singleWrites,
                signUps,
                altcraft,
                attentive,
                capillary,
                open[0],
                open[1],
                open[2],
                mixed,
                webhook,
                ledger,
                imports,
                rawA,
                rawB,
                rawC,
                rawOpen[0],
                rawOpen[1],
                service.maxRssMb());
    }

    private static Measured print(Measured result) {
        System.out.printf(
                Locale.ROOT,
                "%-44s %10.0f/s %s (windows %s)  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  cpu %.3f s/1000"
                        + "  errors %d%n",
                result.name(),
                result.median(),
                Report.percent(result.spread()),
                java.util.Arrays.stream(result.ratesInOrder())
                        .mapToObj(r -> String.format(Locale.ROOT, "%.0f", r))
                        .collect(java.util.stream.Collectors.joining(" ")),
                result.percentileMillis(50),
                result.percentileMillis(99),
                result.percentileMillis(99.9),
                result.cpuPerThousandUnits(),
                result.errors());
        if (result.firstError() != null) {
            System.out.println("    first error: " + result.firstError());
        }
        Statements.printAndReset();
        return result;
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

    /** The service's single writes at a fixed arrival rate, a share of their peak, after a checkpoint. */
    private static Measured singleWritesOpen(
            Load load,
            int percent,
            double rate,
            int connections,
            int contacts,
            String url,
            String user,
            String password)
            throws InterruptedException, SQLException {
        checkpointBeforeOpenLoop(url, user, password);
        return load.open(
                String.format(Locale.ROOT, "single writes open %d%% (%.0f/s)", percent, rate),
                rate,
                connections,
                1,
                r -> Scenarios.changes(r, contacts, 1),
                Scenarios.CHANGES);
    }

    /** Every open loop, the service's and raw's, starts after a checkpoint (see {@link RawBaselines#checkpoint}). */
    private static void checkpointBeforeOpenLoop(String url, String user, String password) throws SQLException {
        System.out.println("Before the open loop: " + RawBaselines.checkpoint(url, user, password));
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
