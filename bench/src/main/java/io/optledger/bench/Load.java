package io.optledger.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * Drives HTTP load at the service: closed loops for peak rates, open loops (fixed arrival rate) for latency. Each
 * scenario runs one warm-up, then {@code windows} consecutive measured windows.
 */
final class Load {

    /** Makes the next request. */
    interface Requests {
        byte[] next(ThreadLocalRandom random);
    }

    /** Reads an answer: null when it succeeded, else what went wrong. */
    interface Check {
        String error(HttpConnection.Response response);

        /** Any status from 300 up is an error. */
        Check STATUS = response -> response.status() < 300 ? null : describe(response);

        static String describe(HttpConnection.Response response) {
            String text = response.text();
            return response.status() + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    /** What one measured window saw. */
    record Result(
            String name,
            long requests,
            long units,
            long errors,
            double seconds,
            Histogram latencyNanos,
            double serviceCpuSeconds,
            long startNanos) {

        double unitsPerSecond() {
            return units / seconds;
        }
    }

    private final int port;
    private final ServiceProcess service;
    private final Duration warmup;
    private final Duration measure;
    private final int windows;

    Load(ServiceProcess service, Duration warmup, Duration measure, int windows) {
        this.port = service.port();
        this.service = service;
        this.warmup = warmup;
        this.measure = measure;
        this.windows = windows;
    }

    Measured closed(String name, int clients, int unitsPerRequest, Requests requests) throws InterruptedException {
        return closed(name, clients, unitsPerRequest, requests, Check.STATUS);
    }

    /** {@code clients} connections each sending its next request as soon as the last is answered. */
    Measured closed(String name, int clients, int unitsPerRequest, Requests requests, Check check)
            throws InterruptedException {
        Windows measured = new Windows(System.nanoTime() + warmup.toNanos(), measure, windows);
        return drive(name, clients, unitsPerRequest, requests, check, Schedule.closed(measured.to()), measured);
    }

    /**
     * Requests at a fixed rate whatever the service does ({@link Schedule#open}). The rate is the answers that
     * arrived in each window, which falls below the arrival rate only when the service falls behind.
     */
    Measured open(String name, double perSecond, int connections, int unitsPerRequest, Requests requests, Check check)
            throws InterruptedException {
        long start = System.nanoTime() + 50_000_000;
        Windows measured = new Windows(start + warmup.toNanos(), measure, windows);
        Schedule due = Schedule.open(start, perSecond, measured.to());
        return drive(name, connections, unitsPerRequest, requests, check, due, measured);
    }

    private Measured drive(
            String name,
            int connections,
            int unitsPerRequest,
            Requests requests,
            Check check,
            Schedule schedule,
            Windows measured)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().name(name + "-" + c).start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                    for (long from = schedule.next(); from >= 0; from = schedule.next()) {
                        HttpConnection.Response response = connection.exchange(requests.next(random));
                        measured.record(from, System.nanoTime(), check.error(response));
                    }
                } catch (IOException e) {
                    measured.failed(e.toString());
                }
            }));
        }
        double[] cpu = measured.await(service);
        for (Thread thread : threads) {
            thread.join();
        }
        return measured.measured(name, unitsPerRequest, cpu);
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            Thread.sleep(Math.max(1, wait / 1_000_000), 0);
        }
    }
}
