package io.optledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The table of one run, printed and written as markdown and JSON. */
final class Report {

    private static final long RSS_TARGET_MB = 768;
    private static final double P99_TARGET_MS = 10;

    private final Options options;
    private final double seedSeconds;
    private final long maxRssMb;
    private final List<Bench.Row> rows;
    private final Load.Result halfPeak;
    private final String durability;

    Report(
            Options options,
            double seedSeconds,
            long maxRssMb,
            List<Bench.Row> rows,
            Load.Result halfPeak,
            String durability) {
        this.durability = durability;
        this.options = options;
        this.seedSeconds = seedSeconds;
        this.maxRssMb = maxRssMb;
        this.rows = rows;
        this.halfPeak = halfPeak;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append("PostgreSQL: ").append(durability).append("\n\n");
        out.append(String.format(
                Locale.ROOT,
                "%d contacts, %d cores, service heap %s, warm-up %d s, measured %d s per scenario, %d HTTP clients,"
                        + " %d raw JDBC threads; seeding took %.1f s%n%n",
                options.contacts(),
                Runtime.getRuntime().availableProcessors(),
                options.heap(),
                options.warmup().toSeconds(),
                options.measure().toSeconds(),
                options.clients(),
                options.rawThreads(),
                seedSeconds));
        out.append("| scenario | service | raw | ratio | target | p50 ms | p99 ms | p99.9 ms | service CPU s/1000 |\n");
        out.append("|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Bench.Row row : rows) {
            Load.Result s = row.service();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %s | %s | %s | %.2f | %.2f | %.2f | %s |%n",
                    row.scenario(),
                    s.unitsPerSecond(),
                    row.baseline() == null
                            ? ""
                            : String.format(Locale.ROOT, "%.0f", row.baseline().unitsPerSecond()),
                    row.baseline() == null ? "" : String.format(Locale.ROOT, "%.2f", row.ratio()),
                    row.target() == 0
                            ? ""
                            : Double.isNaN(row.ratio())
                                    ? "≥ " + row.target() + "× NOT MEASURED"
                                    : verdict(row.ratio() >= row.target(), "≥ " + row.target() + "×"),
                    s.percentileMillis(50),
                    s.percentileMillis(99),
                    s.percentileMillis(99.9),
                    s.serviceCpuSeconds() == 0 ? "" : String.format(Locale.ROOT, "%.3f", s.cpuPerThousandUnits())));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nsingle-write p99 at 50%% of peak: %.2f ms (%s)%nservice max RSS: %d MB (%s)%nerrors: %d%n",
                halfPeak.percentileMillis(99),
                verdict(halfPeak.percentileMillis(99) < P99_TARGET_MS, "< " + P99_TARGET_MS + " ms"),
                maxRssMb,
                verdict(maxRssMb < RSS_TARGET_MB, "< " + RSS_TARGET_MB + " MB"),
                rows.stream().mapToLong(r -> r.service().errors()).sum()));
        return out.toString();
    }

    void write(Path dir, String stamp) throws IOException {
        Files.createDirectories(dir);
        String markdown = "# OptLedger benchmark, " + stamp + "\n\n" + table();
        String json = json(stamp);
        Files.writeString(dir.resolve(stamp + ".md"), markdown);
        Files.writeString(dir.resolve(stamp + ".json"), json);
        // the latest run is kept in git, so its history is the history of the numbers
        Files.writeString(dir.resolve("latest.md"), markdown);
        Files.writeString(dir.resolve("latest.json"), json);
        System.out.println("Written to " + dir.resolve("latest.md") + " and " + dir.resolve("latest.json"));
    }

    private String json(String stamp) {
        StringBuilder out = new StringBuilder("{\n");
        out.append(String.format(
                Locale.ROOT,
                "  \"run\": \"%s\",%n  \"contacts\": %d,%n  \"cores\": %d,%n  \"heap\": \"%s\",%n  \"warmupSeconds\": %d,%n"
                        + "  \"measureSeconds\": %d,%n  \"clients\": %d,%n  \"rawThreads\": %d,%n  \"seedSeconds\": %.1f,%n"
                        + "  \"maxRssMb\": %d,%n  \"singleWriteP99AtHalfPeakMs\": %.3f,%n  \"rows\": [%n",
                stamp,
                options.contacts(),
                Runtime.getRuntime().availableProcessors(),
                options.heap(),
                options.warmup().toSeconds(),
                options.measure().toSeconds(),
                options.clients(),
                options.rawThreads(),
                seedSeconds,
                maxRssMb,
                halfPeak.percentileMillis(99)));
        for (int i = 0; i < rows.size(); i++) {
            Bench.Row row = rows.get(i);
            Load.Result s = row.service();
            out.append(String.format(
                    Locale.ROOT,
                    "    {\"scenario\": \"%s\", \"service\": %.1f, \"raw\": %s, \"ratio\": %s, \"target\": %s,"
                            + " \"p50Ms\": %.3f, \"p99Ms\": %.3f, \"p999Ms\": %.3f, \"serviceCpuPer1000\": %.4f,"
                            + " \"errors\": %d}%s%n",
                    row.scenario(),
                    s.unitsPerSecond(),
                    row.baseline() == null
                            ? "null"
                            : String.format(Locale.ROOT, "%.1f", row.baseline().unitsPerSecond()),
                    Double.isNaN(row.ratio()) ? "null" : String.format(Locale.ROOT, "%.3f", row.ratio()),
                    row.target() == 0 ? "null" : Double.toString(row.target()),
                    s.percentileMillis(50),
                    s.percentileMillis(99),
                    s.percentileMillis(99.9),
                    s.cpuPerThousandUnits(),
                    s.errors(),
                    i + 1 < rows.size() ? "," : ""));
        }
        return out.append("  ]\n}\n").toString();
    }

    private static String verdict(boolean met, String target) {
        return target + (met ? " met" : " MISSED");
    }
}
