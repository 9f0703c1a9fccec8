package io.optledger.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * Issue 18's import: a generated CSV (duplicates, stale rows, bad phones, unknown topics, mostly new contacts)
 * uploaded through {@code POST /v1/imports} and waited for, then the same rows loaded on the same database by a raw
 * COPY and a set-based merge, twice: (i) the bare state merge (contacts inserted, the newest row per subscription
 * upserted), and (ii) the same merge that also writes one ledger row per applied row, its sha256 computed in SQL, as
 * the service writes a ledger event per applied row. The target (≥ 0.5×) is against (ii), the like-for-like one.
 */
final class ImportScenario {

    /** One import contact in this many rows; a tenth of the rows name the seeded contacts, the rest new ones. */
    private static final int ROWS_PER_CONTACT = 20;

    private static final Duration MAX_WAIT = Duration.ofHours(3);
    /** The longest wait for the service to remove a finished job's staged rows before the raw merges run. */
    private static final Duration STAGED_ROWS_WAIT = Duration.ofMinutes(2);

    /** What the scenario measured; seconds are wall-clock from the start of the upload or the COPY to the end. */
    record Outcome(
            int rows,
            double uploadSeconds,
            double importSeconds,
            String jobRate,
            String outcomes,
            double serviceCpuSeconds,
            double bareSeconds,
            double ledgerSeconds) {

        double importRate() {
            return rows / importSeconds;
        }

        double bareRate() {
            return rows / bareSeconds;
        }

        double ledgerRate() {
            return rows / ledgerSeconds;
        }

        /** Import rows/s over baseline (ii), the target's. */
        double ratioToLedger() {
            return importRate() / ledgerRate();
        }

        double ratioToBare() {
            return importRate() / bareRate();
        }

        boolean met() {
            return ratioToLedger() >= 0.5;
        }

        double cpuPerThousandRows() {
            return serviceCpuSeconds / rows * 1000;
        }
    }

    private ImportScenario() {}

    static Outcome run(ServiceProcess service, String url, String user, String password, Options options)
            throws IOException, InterruptedException, SQLException {
        int rows = options.importRows();
        Path file = options.workDir().resolve("import.csv");
        generate(file, rows, Math.max(1, rows / ROWS_PER_CONTACT), options.contacts(), 18);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + service.port();
        // the generated rows name two topics; the second may exist already
        send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/v1/topics"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"key\":\"news\",\"name\":\"News\",\"kind\":\"MARKETING\",\"defaultOptIn\":false}")));

        snapshotBase(url, user, password);

        double cpuBefore = service.cpuSeconds();
        long start = System.nanoTime();
        HttpResponse<String> accepted = send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/v1/imports?notify=false"))
                        .header("Content-Type", "text/csv")
                        .timeout(Duration.ofMinutes(30))
                        .POST(HttpRequest.BodyPublishers.ofFile(file)));
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("the upload answered " + accepted.statusCode() + ": " + accepted.body());
        }
        double uploadSeconds = (System.nanoTime() - start) / 1e9;
        String id = WebhookScenario.field(accepted.body(), "id");
        String job;
        long lastPrint = System.nanoTime();
        while (true) {
            job = send(
                            http,
                            HttpRequest.newBuilder(URI.create(base + "/v1/imports/" + id))
                                    .GET())
                    .body();
            String state = WebhookScenario.field(job, "state");
            if (state.equals("DONE") || state.equals("CANCELLED") || state.equals("FAILED")) {
                if (!state.equals("DONE")) {
                    throw new IllegalStateException("the import ended " + state + ": " + job);
                }
                break;
            }
            if (System.nanoTime() - start > MAX_WAIT.toNanos()) {
                throw new IllegalStateException("the import did not finish in " + MAX_WAIT + ": " + job);
            }
            if (System.nanoTime() - lastPrint > 30_000_000_000L) {
                lastPrint = System.nanoTime();
                System.out.println("    importing: " + number(job, "applied") + " of " + rows + " rows applied");
            }
            Thread.sleep(100);
        }
        double importSeconds = (System.nanoTime() - start) / 1e9;
        double cpu = service.cpuSeconds() - cpuBefore;
        String outcomes = String.format(
                Locale.ROOT,
                "created %s, changed %s, unchanged %s, stale %s, rejected %s",
                number(job, "created"),
                number(job, "changed"),
                number(job, "unchanged"),
                number(job, "stale"),
                number(job, "rejected"));

        // the service removes a finished job's staged rows in the background: the raw merges run once it has, on a
        // database as quiet as the import had
        awaitStagedRowsRemoved(url, user, password);
        double bare = raw(url, user, password, file, false);
        double ledger = raw(url, user, password, file, true);
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            sql.execute(DROP_BASE);
        }
        Files.deleteIfExists(file);
        Outcome outcome = new Outcome(
                rows, uploadSeconds, importSeconds, number(job, "rowsPerSecond"), outcomes, cpu, bare, ledger);
        System.out.printf(
                Locale.ROOT,
                "%-44s %,d rows in %.1f s (uploaded and staged in %.1f s) = %.0f rows/s (%s), service CPU %.3f"
                        + " s/1000 rows%n"
                        + "%-44s %.0f rows/s (i) bare merge, %.0f rows/s (ii) merge + a ledger row per row;"
                        + " import %.3f× (ii), %.3f× (i)%n",
                "import (new contacts mostly)",
                rows,
                importSeconds,
                uploadSeconds,
                outcome.importRate(),
                outcomes,
                outcome.cpuPerThousandRows(),
                "raw COPY + set-based merge",
                outcome.bareRate(),
                outcome.ledgerRate(),
                outcome.ratioToLedger(),
                outcome.ratioToBare());
        return outcome;
    }

    /**
     * A file like the test suite's (ImportVolumeTests.generate): a row in 25 an exact duplicate of the one before,
     * hours over a year so that rows come older after newer ones, a 40th of the SMS rows a bad phone, a 60th an
     * unknown topic; a tenth of the rows name the seeded contacts ({@code c…@bench.example}), the rest new ones.
     */
    static void generate(Path file, int rows, int newContacts, int seeded, long seed) throws IOException {
        Random random = new Random(seed);
        Instant base = Instant.parse("2023-01-01T00:00:00Z");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,phone,channel,topic,status,occurredAt\n");
            String previous = null;
            for (int i = 0; i < rows; i++) {
                if (previous != null && random.nextInt(25) == 0) {
                    out.write(previous);
                    continue;
                }
                boolean known = seeded > 0 && random.nextInt(10) == 0;
                int c = known ? 1 + random.nextInt(seeded) : random.nextInt(newContacts);
                String email = known ? Scenarios.email(c) : "imp" + c + "@import.example";
                String phone = known ? Scenarios.phone(c) : "+1628" + String.format(Locale.ROOT, "%07d", c);
                boolean sms = random.nextInt(4) == 0;
                String topic = random.nextInt(3) == 0 ? "news" : "marketing";
                boolean badPhone = sms && random.nextInt(40) == 0;
                boolean unknownTopic = random.nextInt(60) == 0;
                String status = random.nextBoolean() ? "subscribed" : "unsubscribed";
                Instant at = base.plus(Duration.ofHours(random.nextInt(24 * 365)));
                String row = email + "," + (sms ? (badPhone ? "12" : phone) : "") + "," + (sms ? "SMS" : "EMAIL") + ","
                        + (unknownTopic ? "no-such-topic" : topic) + "," + status + "," + at + "\n";
                out.write(row);
                previous = row;
            }
        }
    }

    private static final String SETUP = """
            drop table if exists bench_imp_stage, bench_imp_contacts, bench_imp_subs, bench_imp_events;
            create table bench_imp_stage (email text, phone text, channel text, topic text, status text,
                occurred_at timestamptz, row_no bigserial);
            create table bench_imp_contacts (id bigserial primary key, email text not null unique);
            create table bench_imp_subs (like subscriptions including defaults including identity including indexes);
            create table bench_imp_events (like consent_events including defaults including indexes);
            """;
    // what the service's tables held before its import: each raw merge starts from it, so that both write into tables
    // of the same size and meet the same existing contacts and subscriptions
    private static final String DROP_BASE =
            "drop table if exists bench_imp_base_contacts, bench_imp_base_subs, bench_imp_base_events";
    private static final String SNAPSHOT_BASE = DROP_BASE + """
            ;
            create table bench_imp_base_contacts as
                select contact_id as id, value as email from identifiers where workspace_id = 1 and name = 'email';
            create table bench_imp_base_subs as select * from subscriptions;
            create table bench_imp_base_events as select * from consent_events;
            """;
    private static final String FILL = """
            insert into bench_imp_contacts (id, email) select id, email from bench_imp_base_contacts;
            select setval(pg_get_serial_sequence('bench_imp_contacts', 'id'),
                (select coalesce(max(id), 0) + 1 from bench_imp_contacts));
            insert into bench_imp_subs select * from bench_imp_base_subs;
            insert into bench_imp_events select * from bench_imp_base_events;
            analyze bench_imp_contacts, bench_imp_subs, bench_imp_events;
            """;
    private static final String CONTACTS = """
            insert into bench_imp_contacts (email) select distinct email from bench_imp_stage on conflict do nothing
            """;
    // the rows the service would apply: a known topic, and a phone that is one for SMS
    private static final String VALID = """
            select c.id as contact_id, s.channel, coalesce(s.phone, s.email) as address, s.topic, s.status,
                s.occurred_at, s.row_no
            from bench_imp_stage s join bench_imp_contacts c on c.email = s.email
            where s.topic in ('marketing', 'news') and (s.channel = 'EMAIL' or length(s.phone) > 5)
            """;
    // the newest row of each subscription, an opt-out winning a tie, never over a newer state
    private static final String MERGE = "insert into bench_imp_subs (workspace_id, contact_id, channel, address,"
            + " topic_key, status, occurred_at, source, updated_at)"
            + " select distinct on (v.contact_id, v.channel, v.address, v.topic)"
            + " 1, v.contact_id, v.channel, v.address, v.topic, upper(v.status), v.occurred_at, 'import', now()"
            + " from (" + VALID + ") v"
            + " order by v.contact_id, v.channel, v.address, v.topic, v.occurred_at desc,"
            + " (v.status = 'unsubscribed') desc"
            + " on conflict (workspace_id, contact_id, channel, address, topic_key) do update"
            + " set status = excluded.status, occurred_at = excluded.occurred_at, updated_at = excluded.updated_at"
            + " where excluded.occurred_at > bench_imp_subs.occurred_at";
    // one ledger row per applied row: its fields hashed in SQL, linked to the contact's previous row's hash (a linked
    // list, not a chain: a hash over the previous hash cannot be computed set-based)
    private static final String LEDGER = "insert into bench_imp_events (workspace_id, contact_id, seq, channel,"
            + " address, topic_key, action, outcome, to_status, occurred_at, recorded_at, source, prev_hash, hash)"
            // seqs past the copied rows' (the row number alone could meet a copied contact's own seq)
            + " select 1, h.contact_id, h.row_no + (select coalesce(max(seq), 0) from bench_imp_base_events),"
            + " h.channel, h.address, h.topic, h.action, 'CHANGED', h.to_status,"
            + " h.occurred_at, now(), 'import', coalesce(lag(h.hash) over (partition by h.contact_id order by"
            + " h.row_no), '\\x00'::bytea), h.hash"
            + " from (select v.*, case when v.status = 'subscribed' then 'OPT_IN' else 'OPT_OUT' end as action,"
            + " upper(v.status) as to_status, sha256(convert_to(concat_ws('|', v.contact_id, v.channel, v.address,"
            + " v.topic, v.status, v.occurred_at, v.row_no), 'UTF8')) as hash from (" + VALID + ") v) h";

    private static void awaitStagedRowsRemoved(String url, String user, String password)
            throws SQLException, InterruptedException {
        long waitStart = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            while (System.nanoTime() - waitStart < STAGED_ROWS_WAIT.toNanos()) {
                try (ResultSet any = sql.executeQuery("select exists (select 1 from import_rows)")) {
                    any.next();
                    if (!any.getBoolean(1)) {
                        System.out.printf(
                                Locale.ROOT,
                                "    the service removed the staged rows %.1f s after the import ended%n",
                                (System.nanoTime() - waitStart) / 1e9);
                        return;
                    }
                }
                Thread.sleep(200);
            }
        }
        System.out.println("    staged rows still present after " + STAGED_ROWS_WAIT + "; measuring anyway");
    }

    /** Seconds for the COPY and the merge of (i), or (ii) with {@code ledger}, in one durable transaction. */
    private static double raw(String url, String user, String password, Path file, boolean ledger)
            throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            sql.execute("set statement_timeout = 0");
            sql.execute(SETUP);
            sql.execute(FILL);
            RawBaselines.checkpoint(sql);
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "copy bench_imp_stage (email, phone, channel, topic, status, occurred_at) from stdin"
                                        + " (format csv, header true)",
                                in);
            }
            sql.execute(CONTACTS);
            sql.execute(MERGE);
            if (ledger) {
                sql.execute(LEDGER);
            }
            connection.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            connection.setAutoCommit(true);
            sql.execute("drop table bench_imp_stage, bench_imp_contacts, bench_imp_subs, bench_imp_events");
            return seconds;
        }
    }

    /** Copies what the service's tables hold before its import, for the raw merges to start from. */
    private static void snapshotBase(String url, String user, String password) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            sql.execute("set statement_timeout = 0");
            sql.execute(SNAPSHOT_BASE);
            // the copy's WAL is checkpointed now, not during the import
            String checkpoint = RawBaselines.checkpoint(sql);
            System.out.printf(
                    Locale.ROOT,
                    "    the service's tables copied for the raw merges to start from, %s, in %.1f s%n",
                    checkpoint,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(
                request.header("Authorization", "Bearer " + Scenarios.KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A number field anywhere in a small JSON answer, as written; "?" when absent. */
    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
