package io.optledger.bench;

import static io.optledger.bench.Report.f;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The run as JSON: one line per row (what {@link Compare} reads), each with its windows' rates, then the targets, the
 * webhook figures and the long ledger's operations.
 */
final class ReportJson {

    private final Options options;
    private final double seedSeconds;
    private final double runSeconds;
    private final String durability;
    private final Results results;

    ReportJson(Options options, double seedSeconds, double runSeconds, String durability, Results results) {
        this.options = options;
        this.seedSeconds = seedSeconds;
        this.runSeconds = runSeconds;
        this.durability = durability;
        this.results = results;
    }

    String json(String stamp) {
        StringBuilder out = new StringBuilder("{\n");
        out.append(f(
                "  \"run\": \"%s\",%n  \"contacts\": %d,%n  \"cores\": %d,%n  \"heap\": \"%s\",%n  \"warmupSeconds\": %d,%n"
                        + "  \"windows\": %d,%n  \"windowSeconds\": %d,%n  \"clients\": %d,%n  \"rawThreads\": %d,%n"
                        + "  \"seedSeconds\": %.1f,%n  \"runSeconds\": %.0f,%n  \"postgres\": \"%s\",%n"
                        + "  \"method\": \"rates: median window, spread = half the windows' range / median; ratios of"
                        + " medians; latency percentiles from all windows merged\",%n  \"maxRssMb\": %d,%n",
                stamp,
                options.contacts(),
                Runtime.getRuntime().availableProcessors(),
                options.heap(),
                options.warmup().toSeconds(),
                options.windows(),
                options.measure().toSeconds(),
                options.clients(),
                options.rawThreads(),
                seedSeconds,
                runSeconds,
                escape(durability),
                results.maxRssMb()));
        List<String> rows = new ArrayList<>();
        for (Results.Row row : results.rows()) {
            rows.add(row(row.scenario(), row.service(), row.baseline(), row.ratio(), row.target(), row.met()));
        }
        LongLedger.Outcome ledger = results.ledger();
        if (ledger != null) {
            for (LongLedger.Operation o : ledger.operations()) {
                rows.add(row(
                        "ledger " + o.ordinary().name() + " (ops/s)", o.ordinary(), Double.NaN, Double.NaN, "", null));
                rows.add(row(
                        "ledger " + o.longer().name() + " (ops/s)",
                        o.longer(),
                        o.ordinary().median(),
                        o.longer().ratioTo(o.ordinary()),
                        "",
                        null));
            }
        }
        out.append("  \"rows\": [\n").append(String.join(",\n", rows)).append("\n  ],\n");
        out.append("  \"targets\": [\n")
                .append(results.targets().stream()
                        .map(t -> f(
                                "    {\"target\": \"%s\", \"measured\": \"%s\", \"met\": %s}",
                                escape(t.target()), escape(t.measured()), t.met()))
                        .collect(Collectors.joining(",\n")))
                .append("\n  ]");
        WebhookScenario.Outcome w = results.webhook();
        if (w != null) {
            out.append(f(
                    ",%n  \"webhook\": {\"offeredPerSecond\": %.1f, \"writesPerSecond\": %.1f,"
                            + " \"writesPerSecondWithout\": %.1f, \"acknowledged\": %d, \"delivered\": %d,"
                            + " \"duplicates\": %d, \"refused\": %d, \"drainSeconds\": %.1f, \"deliveredPerSecond\": %.1f,"
                            + " \"drainPerSecond\": %s, \"lagFrom\": \"recordedAt in the payload\","
                            + " \"lagOf\": \"events recorded in the measured windows\", \"lagP50Ms\": %s,"
                            + " \"lagP99Ms\": %s, \"lagP999Ms\": %s, \"lagAllP50Ms\": %s, \"lagAllP99Ms\": %s}",
                    w.offered(),
                    w.writes().median(),
                    results.open50().median(),
                    w.acknowledged(),
                    w.delivered(),
                    w.duplicates(),
                    w.refused(),
                    w.drainSeconds(),
                    w.deliveries().median(),
                    number(w.drainRate()),
                    number(w.lagMillis(50)),
                    number(w.lagMillis(99)),
                    number(w.lagMillis(99.9)),
                    number(w.lagAllMillis(50)),
                    number(w.lagAllMillis(99))));
        }
        if (ledger != null) {
            out.append(f(
                    ",%n  \"longLedger\": {\"contactId\": %d, \"events\": %d, \"writeSeconds\": %.1f,"
                            + " \"ordinaryContactEvents\": %d}",
                    ledger.contactId(), ledger.events(), ledger.seedSeconds(), ledger.ordinaryEvents()));
        }
        ImportScenario.Outcome i = results.imports();
        if (i != null) {
            out.append(f(
                    ",%n  \"import\": {\"rows\": %d, \"uploadSeconds\": %.1f, \"seconds\": %.1f, \"rowsPerSecond\": %.1f,"
                            + " \"serviceCpuPer1000Rows\": %.4f, \"outcomes\": \"%s\", \"rawBareRowsPerSecond\": %.1f,"
                            + " \"rawLedgerRowsPerSecond\": %.1f, \"ratioToRawLedger\": %.4f, \"ratioToRawBare\": %.4f,"
                            + " \"target\": \"≥ 0.5× rawLedger\", \"met\": %s}",
                    i.rows(),
                    i.uploadSeconds(),
                    i.importSeconds(),
                    i.importRate(),
                    i.cpuPerThousandRows(),
                    escape(i.outcomes()),
                    i.bareRate(),
                    i.ledgerRate(),
                    i.ratioToLedger(),
                    i.ratioToBare(),
                    i.met()));
        }
        return out.append("\n}\n").toString();
    }

    private static String row(String scenario, Measured s, double baseline, double ratio, String target, Boolean met) {
        return f(
                "    {\"scenario\": \"%s\", \"service\": %.3f, \"spread\": %.3f, \"windows\": %s, \"baseline\": %s,"
                        + " \"ratio\": %s, \"target\": %s, \"met\": %s, \"p50Ms\": %.3f, \"p99Ms\": %.3f,"
                        + " \"p999Ms\": %.3f, \"serviceCpuPer1000\": %.4f, \"errors\": %d}",
                escape(scenario),
                s.median(),
                s.spread(),
                Arrays.stream(s.ratesInOrder()).mapToObj(r -> f("%.3f", r)).collect(Collectors.joining(", ", "[", "]")),
                number(baseline),
                Double.isNaN(ratio) ? "null" : f("%.3f", ratio),
                target.isEmpty() ? "null" : "\"" + escape(target) + "\"",
                met,
                s.percentileMillis(50),
                s.percentileMillis(99),
                s.percentileMillis(99.9),
                s.cpuPerThousandUnits(),
                s.errors());
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "null" : f("%.1f", value);
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
