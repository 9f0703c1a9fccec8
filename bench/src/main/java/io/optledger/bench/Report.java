package io.optledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The tables of one run, printed and written as markdown and JSON. */
final class Report {

    private final Options options;
    private final double seedSeconds;
    private final double runSeconds;
    private final String durability;
    private final Results results;

    Report(Options options, double seedSeconds, double runSeconds, String durability, Results results) {
        this.options = options;
        this.seedSeconds = seedSeconds;
        this.runSeconds = runSeconds;
        this.durability = durability;
        this.results = results;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append("PostgreSQL: ").append(durability).append("\n\n");
        out.append(f(
                "%,d contacts, %d cores, service heap %s, %d HTTP clients, %d raw JDBC threads; seeding took %.1f s, the"
                        + " whole run %.1f min.%n%n",
                options.contacts(),
                Runtime.getRuntime().availableProcessors(),
                options.heap(),
                options.clients(),
                options.rawThreads(),
                seedSeconds,
                runSeconds / 60));
        out.append(f(
                "Each scenario: one %d s warm-up, then %d consecutive measured windows of %d s. Rates are the median"
                        + " window's, ± half the windows' range as a share of the median; ratios are ratios of medians;"
                        + " p50/p99/p99.9 come from all windows' samples merged (HdrHistogram); errors are failed"
                        + " requests over all windows. Service CPU is the service process alone (from /proc).%n%n",
                options.warmup().toSeconds(),
                options.windows(),
                options.measure().toSeconds()));
        out.append("| scenario | service | ± | baseline | ± | ratio | target | p50 ms | p99 ms | p99.9 ms |"
                + " service CPU s/1000 | errors |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (Results.Row row : results.rows()) {
            Measured s = row.service();
            out.append(f(
                    "| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                    row.scenario(),
                    s.median(),
                    percent(s.spread()),
                    Double.isNaN(row.baseline()) ? "" : f("%.0f", row.baseline()),
                    Double.isNaN(row.baseline()) || row.baselineSpread() == 0 ? "" : percent(row.baselineSpread()),
                    Double.isNaN(row.ratio()) ? "" : f("%.2f", row.ratio()),
                    s.mostlyFailed()
                            ? "most requests failed: see Errors"
                            : row.target().isEmpty() ? "" : verdict(row.met(), row.target()),
                    millis(s.percentileMillis(50)),
                    millis(s.percentileMillis(99)),
                    millis(s.percentileMillis(99.9)),
                    s.serviceCpuSeconds() == 0 ? "" : f("%.3f", s.cpuPerThousandUnits()),
                    s.errors()));
        }
        out.append(f(
                "%nSingle writes in the open loops arrive at %.0f, %.0f and %.0f/s (25, 50 and 80%% of the peak's"
                        + " median); their rate is the answers that arrived in each window, their latency counted from"
                        + " when each request was due. Raw (a) runs open at the first two rates too, for the tail a"
                        + " durable one-change transaction has on this machine at the same load.%n",
                results.offered(25), results.offered(50), results.offered(80)));
        out.append("\n## Targets (issue 17, then issue 16's webhook scenario)\n\n");
        for (Results.Target target : results.targets()) {
            out.append("- ")
                    .append(verdict(target.met(), target.target()))
                    .append(": ")
                    .append(target.measured())
                    .append('\n');
        }
        webhook(out);
        ledger(out);
        imports(out);
        errors(out);
        return out.toString();
    }

    private void webhook(StringBuilder out) {
        WebhookScenario.Outcome w = results.webhook();
        if (w == null) {
            return;
        }
        out.append(f(
                "%n## Webhook (issue 16)%n%nOne endpoint registered through `POST /v1/webhooks`, pointing at a receiver"
                        + " in the benchmark process that verifies each delivery's Standard Webhooks signature; single"
                        + " writes at %.0f/s (50%% of peak), open loop.%n%n"
                        + "- writes: %.0f changes/s %s vs %.0f without the webhook; p99 %.2f ms vs %.2f ms%n"
                        + "- events: %d acknowledged (answers with a created or changed outcome, warm-up included),"
                        + " %d distinct webhook-ids received with a valid signature, %d received again, %d refused;"
                        + " drain %.1f s after the last write%n"
                        + "- delivered: %.0f events/s %s in the measured windows; %s%n"
                        + "- lag, from the payload's `recordedAt` (the writing transaction's clock, just before its"
                        + " commit) to the verified receipt, of the %d events recorded in the measured windows: p50 %.0f"
                        + " ms, p99 %.0f ms, p99.9 %.0f ms, max %.0f ms; of all %d, the warm-up's included: p50 %.0f"
                        + " ms, p99 %.0f ms%n",
                w.offered(),
                w.writes().median(),
                percent(w.writes().spread()),
                results.open50().median(),
                w.writes().percentileMillis(99),
                results.open50().percentileMillis(99),
                w.acknowledged(),
                w.delivered(),
                w.duplicates(),
                w.refused(),
                w.drainSeconds(),
                w.deliveries().median(),
                percent(w.deliveries().spread()),
                Double.isNaN(w.drainRate())
                        ? "no backlog was left to drain"
                        : f("%.0f events/s while draining the backlog (the delivery loop's ceiling)", w.drainRate()),
                w.lag().getTotalCount(),
                w.lagMillis(50),
                w.lagMillis(99),
                w.lagMillis(99.9),
                w.lagMillis(100),
                w.lagAll().getTotalCount(),
                w.lagAllMillis(50),
                w.lagAllMillis(99)));
    }

    private void ledger(StringBuilder out) {
        LongLedger.Outcome l = results.ledger();
        if (l == null) {
            return;
        }
        out.append(f(
                "%n## Long ledger%n%nContact %d given %,d ledger events through the API, 1,000 changes per call, in"
                        + " %.1f s (%.0f events/s). Each operation one request at a time, so its time is its cost;"
                        + " the ordinary contact (%d) has %d events.%n%n",
                l.contactId(),
                l.events(),
                l.seedSeconds(),
                l.events() / l.seedSeconds(),
                l.ordinaryId(),
                l.ordinaryEvents()));
        out.append("| operation | ordinary: ms/op | ± | long: ms/op | ± | long/ordinary | ordinary p99 ms | long p99 ms"
                + " | ordinary CPU ms/op | long CPU ms/op | errors |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LongLedger.Operation o : l.operations()) {
            double ordinary = 1000 / o.ordinary().median();
            double longer = 1000 / o.longer().median();
            out.append(f(
                    "| %s | %.2f | %s | %.2f | %s | %.1f× | %.2f | %.2f | %.2f | %.2f | %d |%n",
                    o.name(),
                    ordinary,
                    percent(o.ordinary().spread()),
                    longer,
                    percent(o.longer().spread()),
                    longer / ordinary,
                    o.ordinary().percentileMillis(99),
                    o.longer().percentileMillis(99),
                    o.ordinary().cpuPerThousandUnits(),
                    o.longer().cpuPerThousandUnits(),
                    o.ordinary().errors() + o.longer().errors()));
        }
        LongLedger.Operation paging = l.operations().getLast();
        int pages = (l.events() + 999) / 1000;
        out.append(f(
                "%nPaging through all of the long contact's events: %d pages × %.2f ms = %.1f s.%n",
                pages, 1000 / paging.longer().median(), pages / paging.longer().median()));
    }

    private void imports(StringBuilder out) {
        ImportScenario.Outcome i = results.imports();
        if (i == null) {
            return;
        }
        out.append(f(
                "%n## Import (issue 18)%n%nA generated CSV of %,d rows (a tenth naming seeded contacts, the rest new"
                        + " ones; duplicates, stale rows, bad phones, unknown topics) uploaded through `POST"
                        + " /v1/imports` and waited for: %.1f s end to end (of which %.1f s uploading and staging), %.0f rows/s (the"
                        + " job's own rate: %s rows/s); %s; service CPU %.3f s/1000 rows.%n%n"
                        + "The same rows on the same database, each a raw `COPY` into a staging table and a set-based"
                        + " merge in one durable transaction:%n%n"
                        + "- (i) bare state merge (contacts inserted, the newest row per subscription upserted, no"
                        + " history): %.1f s, %.0f rows/s; import %.3f×%n"
                        + "- (ii) the same merge plus one ledger row per applied row, its sha256 computed in SQL"
                        + " (the service writes a ledger event per applied row): %.1f s, %.0f rows/s; import %.3f×%n%n"
                        + "Target: %s (against (ii), the like-for-like one).%n",
                i.rows(),
                i.importSeconds(),
                i.uploadSeconds(),
                i.importRate(),
                i.jobRate(),
                i.outcomes(),
                i.cpuPerThousandRows(),
                i.bareSeconds(),
                i.bareRate(),
                i.ratioToBare(),
                i.ledgerSeconds(),
                i.ledgerRate(),
                i.ratioToLedger(),
                verdict(i.met(), "import ≥ 0.5× raw (ii)")));
    }

    private void errors(StringBuilder out) {
        StringBuilder list = new StringBuilder();
        for (Measured m : results.all()) {
            if (m.errors() > 0) {
                list.append(
                        f("- %s: %d of %d failed; first: %s%n", m.name(), m.errors(), m.requests(), m.firstError()));
            }
        }
        out.append(f("%n## Errors%n%n%s", list.isEmpty() ? "none\n" : list));
    }

    void write(Path dir, String stamp) throws IOException {
        Files.createDirectories(dir);
        String markdown = "# OptLedger benchmark, " + stamp + "\n\n" + table();
        String json = new ReportJson(options, seedSeconds, runSeconds, durability, results).json(stamp);
        Files.writeString(dir.resolve(stamp + ".md"), markdown);
        Files.writeString(dir.resolve(stamp + ".json"), json);
        // the latest run is kept in git, so its history is the history of the numbers
        Files.writeString(dir.resolve("latest.md"), markdown);
        Files.writeString(dir.resolve("latest.json"), json);
        System.out.println("Written to " + dir.resolve("latest.md") + " and " + dir.resolve("latest.json") + " (and "
                + stamp + ".md/.json beside them)");
    }

    static String verdict(Boolean met, String target) {
        return target + (met == null ? " NOT MEASURED" : met ? " met" : " MISSED");
    }

    static String percent(double spread) {
        return f("±%.0f%%", spread * 100);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "" : f("%.2f", value);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
