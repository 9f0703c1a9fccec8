package io.optledger.bench;

import java.nio.file.Path;
import java.time.Duration;

/** The benchmark's flags, with the defaults that finish within 10 minutes on 2 cores. */
record Options(
        int contacts,
        Duration jitWarmup,
        Duration warmup,
        Duration measure,
        int clients,
        int rawThreads,
        String heap,
        Path jar,
        Path workDir,
        Path resultsDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        boolean jfr,
        boolean probe) {

    static Options parse(String[] args) {
        int contacts = 100_000;
        int jitWarmup = 90;
        int warmup = 10;
        int measure = 10;
        int clients = 32;
        int rawThreads = 16;
        String heap = "512m";
        Path jar = Path.of("target/optledger-0.1.0-SNAPSHOT.jar");
        Path work = Path.of("bench/work");
        Path results = Path.of("bench/results");
        String url = System.getenv("OPTLEDGER_DATABASE_URL");
        String user = System.getenv().getOrDefault("OPTLEDGER_DATABASE_USER", "");
        String password = System.getenv().getOrDefault("OPTLEDGER_DATABASE_PASSWORD", "");
        boolean jfr = false;
        boolean probe = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--jfr") || args[i].equals("--probe")) {
                jfr |= args[i].equals("--jfr");
                probe |= args[i].equals("--probe");
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(value.replace("_", ""));
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--jit-warmup" -> jitWarmup = Integer.parseInt(value);
                case "--measure" -> measure = Integer.parseInt(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--raw-threads" -> rawThreads = Integer.parseInt(value);
                case "--heap" -> heap = value;
                case "--jar" -> jar = Path.of(value);
                case "--work" -> work = Path.of(value);
                case "--results" -> results = Path.of(value);
                case "--database-url" -> url = value;
                default ->
                    throw new IllegalArgumentException("unknown flag " + args[i]
                            + "; flags: --contacts N --jit-warmup S --warmup S --measure S --clients N --raw-threads N --heap SIZE"
                            + " --jar PATH --work DIR --results DIR --database-url JDBC-URL --jfr --probe");
            }
            i++;
        }
        if (warmup < 10) {
            throw new IllegalArgumentException("a warm-up shorter than 10 s measures the JIT, not the service");
        }
        return new Options(
                contacts,
                Duration.ofSeconds(jitWarmup),
                Duration.ofSeconds(warmup),
                Duration.ofSeconds(measure),
                clients,
                rawThreads,
                heap,
                jar,
                work,
                results,
                url,
                user,
                password,
                jfr,
                probe);
    }
}
