package io.optledger.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The benchmark's flags, with the defaults that finish within about 13 minutes on 2 cores at 100,000 contacts. */
record Options(
        int contacts,
        Duration jitWarmup,
        Duration warmup,
        Duration measure,
        int windows,
        int clients,
        int rawThreads,
        int ledgerEvents,
        int importRows,
        String heap,
        Path jar,
        Path workDir,
        Path resultsDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        boolean jfr,
        boolean probe,
        boolean statements,
        List<Path> compare) {

    private static final String FLAGS = "flags: --contacts N --jit-warmup S --warmup S --measure S --windows N"
            + " --clients N --raw-threads N --ledger-events N --import-rows N --heap SIZE --jar PATH --work DIR --results DIR"
            + " --database-url JDBC-URL --jfr --probe --statements --compare A.json B.json";

    static Options parse(String[] args) {
        int contacts = 100_000;
        int jitWarmup = 90;
        int warmup = 10;
        int measure = 5;
        int windows = 3;
        int clients = 32;
        int rawThreads = 16;
        int ledgerEvents = 100_000;
        int importRows = 1_000_000;
        String heap = "448m";
        Path jar = Path.of("target/optledger-0.1.0-SNAPSHOT.jar");
        Path work = Path.of("bench/work");
        Path results = Path.of("bench/results");
        String url = System.getenv("OPTLEDGER_DATABASE_URL");
        String user = System.getenv().getOrDefault("OPTLEDGER_DATABASE_USER", "");
        String password = System.getenv().getOrDefault("OPTLEDGER_DATABASE_PASSWORD", "");
        boolean jfr = false;
        boolean probe = false;
        boolean statements = false;
        List<Path> compare = List.of();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--jfr") || args[i].equals("--probe")) {
                jfr |= args[i].equals("--jfr");
                probe |= args[i].equals("--probe");
                continue;
            }
            if (args[i].equals("--statements")) {
                statements = true;
                continue;
            }
            if (args[i].equals("--compare")) {
                if (i + 2 >= args.length) {
                    throw new IllegalArgumentException("--compare needs two results files: A.json B.json");
                }
                compare = List.of(Path.of(args[i + 1]), Path.of(args[i + 2]));
                i += 2;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--contacts" -> contacts = number(value);
                case "--warmup" -> warmup = number(value);
                case "--jit-warmup" -> jitWarmup = number(value);
                case "--measure" -> measure = number(value);
                case "--windows" -> windows = number(value);
                case "--clients" -> clients = number(value);
                case "--raw-threads" -> rawThreads = number(value);
                case "--ledger-events" -> ledgerEvents = number(value);
                case "--import-rows" -> importRows = number(value);
                case "--heap" -> heap = value;
                case "--jar" -> jar = Path.of(value);
                case "--work" -> work = Path.of(value);
                case "--results" -> results = Path.of(value);
                case "--database-url" -> url = value;
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; " + FLAGS);
            }
            i++;
        }
        if (warmup < 10) {
            throw new IllegalArgumentException("a warm-up shorter than 10 s measures the JIT, not the service");
        }
        if (windows < 1 || measure < 1) {
            throw new IllegalArgumentException("--windows and --measure must be at least 1");
        }
        return new Options(
                contacts,
                Duration.ofSeconds(jitWarmup),
                Duration.ofSeconds(warmup),
                Duration.ofSeconds(measure),
                windows,
                clients,
                rawThreads,
                ledgerEvents,
                importRows,
                heap,
                jar,
                work,
                results,
                url,
                user,
                password,
                jfr,
                probe,
                statements,
                compare);
    }

    private static int number(String value) {
        return Integer.parseInt(value.replace("_", ""));
    }
}
