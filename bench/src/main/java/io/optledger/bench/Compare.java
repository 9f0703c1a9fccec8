package io.optledger.bench;

import static io.optledger.bench.Report.f;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two runs side by side, per operation: {@code --compare A.json B.json} (e.g. 100,000 and 1,000,000 contacts) prints
 * each scenario both have, its rate, p99 and the service's CPU per 1,000 operations in each, and B against A.
 */
final class Compare {

    private static final Pattern ROW = Pattern.compile(
            "\\{\"scenario\": \"((?:[^\"\\\\]|\\\\.)*)\", \"service\": ([0-9.]+),.*\"p99Ms\": ([0-9.]+),.*"
                    + "\"serviceCpuPer1000\": ([0-9.]+),");
    private static final Pattern CONTACTS = Pattern.compile("\"contacts\": (\\d+)");

    private record Figures(double rate, double p99, double cpu) {}

    private Compare() {}

    static String table(Path a, Path b) throws IOException {
        String left = Files.readString(a);
        String right = Files.readString(b);
        Map<String, Figures> first = rows(left);
        Map<String, Figures> second = rows(right);
        StringBuilder out = new StringBuilder(
                f("A: %s (%s contacts)%nB: %s (%s contacts)%n%n", a, contacts(left), b, contacts(right)));
        out.append(
                "| scenario | A rate | B rate | B/A | A p99 ms | B p99 ms | A CPU s/1000 | B CPU s/1000 | B/A CPU |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        first.forEach((scenario, x) -> {
            Figures y = second.get(scenario);
            if (y == null) {
                return;
            }
            out.append(f(
                    "| %s | %s | %s | %.2f | %.2f | %.2f | %.3f | %.3f | %s |%n",
                    scenario,
                    rate(x.rate()),
                    rate(y.rate()),
                    x.rate() == 0 ? Double.NaN : y.rate() / x.rate(),
                    x.p99(),
                    y.p99(),
                    x.cpu(),
                    y.cpu(),
                    x.cpu() == 0 ? "" : f("%.2f", y.cpu() / x.cpu())));
        });
        return out.toString();
    }

    /** Slow operations (a verify of a long chain) keep their digits. */
    private static String rate(double rate) {
        return rate < 100 ? f("%.2f", rate) : f("%.0f", rate);
    }

    private static Map<String, Figures> rows(String json) {
        Map<String, Figures> rows = new LinkedHashMap<>();
        for (String line : json.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.put(
                        m.group(1).replace("\\\"", "\""),
                        new Figures(
                                Double.parseDouble(m.group(2)),
                                Double.parseDouble(m.group(3)),
                                Double.parseDouble(m.group(4))));
            }
        }
        return rows;
    }

    private static String contacts(String json) {
        Matcher m = CONTACTS.matcher(json);
        return m.find() ? f("%,d", Long.parseLong(m.group(1))) : "?";
    }
}
