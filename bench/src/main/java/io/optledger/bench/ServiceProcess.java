package io.optledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The service under test, in a process of its own, with its CPU time and resident memory read from /proc. */
final class ServiceProcess implements AutoCloseable {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final Process process;
    private final int port;
    private final AtomicLong maxRssKb = new AtomicLong();
    private final Thread sampler;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(this::sampleRss);
    }

    static ServiceProcess start(
            Path jar,
            String heap,
            int port,
            String jdbcUrl,
            String user,
            String password,
            String key,
            Path log,
            Path recording)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // the recommended production settings (docs/operations.md#garbage-collector): generational ZGC, whose pauses
        // stay under a millisecond where G1's young and remark pauses took 40 to 200 ms on 2 busy cores, with a soft
        // heap size of three quarters of the maximum so the resident memory stays in bounds; and the C heap trimmed
        // every 5 s, which returns what glibc keeps of freed native memory (58 MB of an 785 MB RSS, measured)
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-XX:+UseZGC",
                "-Xmx" + heap,
                "-XX:SoftMaxHeapSize=" + softMax(heap),
                "-XX:+UnlockExperimentalVMOptions",
                "-XX:TrimNativeHeapInterval=5000"));
        // the GC log beside the service's log: pauses are the first suspect of a latency tail
        command.add("-Xlog:gc*,safepoint:file=" + log.resolveSibling("gc.log").toAbsolutePath()
                + ":time,uptime,level,tags");
        String extra = System.getenv("OPTLEDGER_BENCH_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            // for an A/B of JVM settings without a rebuild, e.g. OPTLEDGER_BENCH_JAVA_OPTS="-XX:-UseZGC -XX:+UseG1GC"
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (recording != null) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + recording);
        }
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--management.server.port=0",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--optledger.bootstrap-api-key=" + key,
                "--logging.structured.format.console=",
                "--logging.level.root=WARN",
                // the benchmark measures throughput, not Attentive's per-key limits
                "--optledger.attentive.rate-limit.subscribe=1000000",
                // the webhook scenario's receiver is in the benchmark's process, on loopback
                "--optledger.webhooks.allow-private-networks=true",
                // ledger checkpoints every 5 s rather than every minute: each scenario then signs its own events
                // within its own windows, instead of the scenario after it paying for a minute's backlog at once
                // (the work per event is the same; which scenario it lands in was luck of the clock)
                "--optledger.ledger.checkpoints.interval=5s"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // glibc's malloc arenas, two instead of eight per core: the JVM's native allocations are few and not
        // contended, and each arena keeps memory of its own that trimming returns only in part
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        ServiceProcess service = new ServiceProcess(process, port);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!service.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not start; see " + log);
            }
            Thread.sleep(250);
        }
        return service;
    }

    /** Three quarters of a heap size given as {@code -Xmx} takes it (512m, 1g, ...), in megabytes. */
    static String softMax(String heap) {
        String size = heap.toLowerCase(java.util.Locale.ROOT);
        long megabytes = switch (size.charAt(size.length() - 1)) {
            case 'g' -> Long.parseLong(size.substring(0, size.length() - 1)) * 1024;
            case 'm' -> Long.parseLong(size.substring(0, size.length() - 1));
            case 'k' -> Long.parseLong(size.substring(0, size.length() - 1)) / 1024;
            default -> Long.parseLong(size) / (1024 * 1024);
        };
        return megabytes * 3 / 4 + "m";
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    private boolean ready() {
        try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
            return connection.exchange(HttpConnection.get("/readyz", "none")).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU seconds (user + system) the service has used so far. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14, stime 15 (1-based over the whole line)
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    long maxRssMb() {
        return maxRssKb.get() / 1024;
    }

    private void sampleRss() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        maxRssKb.accumulateAndGet(kb, Math::max);
                    }
                }
                Thread.sleep(250);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
        sampler.interrupt();
    }
}
