package io.optledger.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Drives HTTP load at the service: closed loops for peak rates, open loops (fixed arrival rate) for latency. */
final class Load {

    /** Makes the next request; {@code units} is how many operations one request carries (changes, lookups). */
    interface Requests {
        byte[] next(ThreadLocalRandom random);
    }

    /** What a measured phase saw. */
    record Result(
            String name,
            long requests,
            long units,
            long errors,
            double seconds,
            Histogram latencyNanos,
            double serviceCpuSeconds) {

        double requestsPerSecond() {
            return requests / seconds;
        }

        double unitsPerSecond() {
            return units / seconds;
        }

        double cpuPerThousandUnits() {
            return units == 0 ? 0 : serviceCpuSeconds / units * 1000;
        }

        double percentileMillis(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private final int port;
    private final ServiceProcess service;
    private final Duration warmup;
    private final Duration measure;

    Load(ServiceProcess service, Duration warmup, Duration measure) {
        this.port = service.port();
        this.service = service;
        this.warmup = warmup;
        this.measure = measure;
    }

    /** {@code clients} connections each sending its next request as soon as the last is answered. */
    Result closed(String name, int clients, int unitsPerRequest, Requests requests) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        Schedule now = () -> {
            long sent = System.nanoTime();
            return sent < measureTo ? sent : -1;
        };
        return drive(name, clients, unitsPerRequest, requests, now, measureFrom, measureTo, false);
    }

    /**
     * Requests at a fixed rate whatever the service does. Latency is measured from when each request was due, not
     * when it could be sent, so a stall shows in full (coordinated omission corrected).
     */
    Result open(String name, double perSecond, int connections, int unitsPerRequest, Requests requests)
            throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime() + 50_000_000;
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        Schedule due = () -> {
            long at = start + sequence.getAndIncrement() * interval;
            if (at >= measureTo) {
                return -1;
            }
            for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            return at;
        };
        // every request due in the window counts, however late its answer: that lateness is what is measured
        return drive(name, connections, unitsPerRequest, requests, due, measureFrom, measureTo, true);
    }

    /** When a connection sends its next request: the time its latency counts from, or -1 to stop. */
    private interface Schedule {
        long next();
    }

    private Result drive(
            String name,
            int connections,
            int unitsPerRequest,
            Requests requests,
            Schedule schedule,
            long measureFrom,
            long measureTo,
            boolean countLateAnswers)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().name(name + "-" + c).start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                    for (long from = schedule.next(); from >= 0; from = schedule.next()) {
                        int status = connection.exchange(requests.next(random)).status();
                        long answered = System.nanoTime();
                        if (from >= measureFrom && (countLateAnswers || answered < measureTo)) {
                            recorder.recordValue(answered - from);
                            done.incrementAndGet();
                            if (status >= 300) {
                                errors.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            }));
        }
        return measured(name, threads, recorder, done, errors, unitsPerRequest, measureFrom, measureTo);
    }

    private Result measured(
            String name,
            List<Thread> threads,
            Recorder recorder,
            AtomicLong done,
            AtomicLong errors,
            int unitsPerRequest,
            long measureFrom,
            long measureTo)
            throws InterruptedException {
        sleepUntil(measureFrom);
        double cpuBefore = service.cpuSeconds();
        sleepUntil(measureTo);
        double cpuAfter = service.cpuSeconds();
        for (Thread thread : threads) {
            thread.join();
        }
        long requests = done.get();
        return new Result(
                name,
                requests,
                requests * unitsPerRequest,
                errors.get(),
                (measureTo - measureFrom) / 1e9,
                recorder.getIntervalHistogram(),
                cpuAfter - cpuBefore);
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            Thread.sleep(Math.max(1, wait / 1_000_000), 0);
        }
    }
}
