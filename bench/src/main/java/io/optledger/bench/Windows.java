package io.optledger.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/**
 * Consecutive measured windows after one warm-up. A request counts towards the throughput of the window its answer
 * arrived in, and its latency towards the window it was sent (or, in an open loop, due) in, so a stall's late answers
 * are charged to when they were asked for.
 */
final class Windows {

    private final long from;
    private final long length;
    private final int count;
    private final Recorder[] latency;
    private final AtomicLongArray requests;
    private final AtomicLongArray errors;
    private final AtomicReference<String> firstError = new AtomicReference<>();

    Windows(long from, Duration length, int count) {
        this.from = from;
        this.length = length.toNanos();
        this.count = count;
        this.latency = new Recorder[count];
        for (int i = 0; i < count; i++) {
            latency[i] = new Recorder(3);
        }
        this.requests = new AtomicLongArray(count);
        this.errors = new AtomicLongArray(count);
    }

    long from() {
        return from;
    }

    long to() {
        return from + count * length;
    }

    long length() {
        return length;
    }

    /** The window {@code nanoTime} falls in, or -1 outside them all. */
    int index(long nanoTime) {
        if (nanoTime < from) {
            return -1;
        }
        long window = (nanoTime - from) / length;
        return window < count ? (int) window : -1;
    }

    /** One answer: sent (or due) at {@code sent}, answered at {@code answered}; {@code error} null when it succeeded. */
    void record(long sent, long answered, String error) {
        int asked = index(sent);
        if (asked >= 0) {
            latency[asked].recordValue(answered - sent);
        }
        int window = index(answered);
        if (window >= 0) {
            requests.incrementAndGet(window);
        }
        if (error != null) {
            failed(error);
        }
    }

    /** A failure, counted in the window it happened in (none in the warm-up), the first one kept to show. */
    void failed(String error) {
        int window = index(System.nanoTime());
        if (window >= 0) {
            errors.incrementAndGet(window);
            firstError.compareAndSet(null, error.length() > 300 ? error.substring(0, 300) + "..." : error);
        }
    }

    /** Sleeps through the windows, reading the service's CPU time at each boundary (none without a service). */
    double[] await(ServiceProcess service) throws InterruptedException {
        double[] cpu = new double[count];
        Load.sleepUntil(from);
        double before = service == null ? 0 : service.cpuSeconds();
        for (int i = 0; i < count; i++) {
            Load.sleepUntil(from + (i + 1) * length);
            double after = service == null ? 0 : service.cpuSeconds();
            cpu[i] = after - before;
            before = after;
        }
        return cpu;
    }

    /** Once every sender has stopped: one result per window. */
    Measured measured(String name, int unitsPerRequest, double[] cpu) {
        List<Load.Result> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long done = requests.get(i);
            results.add(new Load.Result(
                    name,
                    done,
                    done * unitsPerRequest,
                    errors.get(i),
                    length / 1e9,
                    latency[i].getIntervalHistogram(),
                    cpu[i],
                    from + i * length));
        }
        return new Measured(name, results, firstError.get());
    }
}
