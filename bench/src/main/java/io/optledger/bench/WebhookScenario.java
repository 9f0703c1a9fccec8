package io.optledger.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Issue 16's scenario: single writes at a fixed rate with one webhook endpoint registered through the API, pointing
 * at a {@link WebhookReceiver} in this process. The endpoint receives the changes recorded from its creation on, so
 * every change this scenario makes (warm-up included) is one event it must deliver; the drain afterwards waits until
 * they all arrived, or until nothing arrived for a while.
 */
final class WebhookScenario {

    private static final Duration DRAIN_IDLE = Duration.ofSeconds(30);
    private static final Duration DRAIN_MAX = Duration.ofSeconds(300);

    /**
     * What the scenario saw: the writes, the events their answers acknowledged (created or changed outcomes), the
     * distinct verified deliveries after the drain, the rate the backlog drained at, deliveries per second in each
     * measured window (carrying the lag as its latency), the lag of the events recorded in the measured windows and of
     * all of them.
     */
    record Outcome(
            Measured writes,
            double offered,
            long acknowledged,
            long delivered,
            long duplicates,
            long refused,
            double drainSeconds,
            double drainRate,
            Measured deliveries,
            Histogram lag,
            Histogram lagAll) {

        boolean allDelivered() {
            return delivered >= acknowledged && acknowledged > 0;
        }

        /** The lag of the events recorded in the measured windows. */
        double lagMillis(double percentile) {
            return millis(lag, percentile);
        }

        /** The lag of every event, the warm-up's included. */
        double lagAllMillis(double percentile) {
            return millis(lagAll, percentile);
        }

        private static double millis(Histogram histogram, double percentile) {
            return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private WebhookScenario() {}

    static Outcome run(ServiceProcess service, Load load, double rate, int connections, int contacts)
            throws IOException, InterruptedException {
        try (WebhookReceiver receiver = new WebhookReceiver();
                HttpConnection http = new HttpConnection("127.0.0.1", service.port())) {
            HttpConnection.Response created = Seed.expect(
                    http.exchange(HttpConnection.post(
                            "/v1/webhooks",
                            Scenarios.KEY,
                            "{\"url\":\"" + receiver.url() + "\",\"description\":\"bench receiver\"}")),
                    201,
                    "registering the webhook");
            String id = field(created.text(), "id");
            receiver.secret(field(created.text(), "secret"));

            AtomicLong acknowledged = new AtomicLong();
            Load.Check counting = response -> {
                if (response.status() < 300) {
                    Scenarios.Summary summary = Scenarios.Summary.of(response.body());
                    if (summary != null) {
                        acknowledged.addAndGet(summary.events());
                    }
                }
                return Scenarios.CHANGES.error(response);
            };
            // nanoTime to the wall clock, to tell which events were recorded in the measured windows
            long wallMinusNano = Instant.now().getEpochSecond() * 1_000_000_000L
                    + Instant.now().getNano()
                    - System.nanoTime();
            Measured writes = load.open(
                    "single writes open 50% + webhook",
                    rate, connections, 1, r -> Scenarios.changes(r, contacts, 1), counting);

            long drainStart = System.nanoTime();
            long atDrainStart = receiver.delivered();
            long lastProgress = drainStart;
            long lastPrint = drainStart;
            long seen = atDrainStart;
            while (receiver.delivered() < acknowledged.get()
                    && System.nanoTime() - lastProgress < DRAIN_IDLE.toNanos()
                    && System.nanoTime() - drainStart < DRAIN_MAX.toNanos()) {
                Thread.sleep(100);
                if (receiver.delivered() > seen) {
                    seen = receiver.delivered();
                    lastProgress = System.nanoTime();
                }
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf(Locale.ROOT, "    draining: %d of %d delivered%n", seen, acknowledged.get());
                }
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            // with a backlog, the rate the delivery loop empties it at is its ceiling
            double drainRate = drainSeconds < 1 ? Double.NaN : (receiver.delivered() - atDrainStart) / drainSeconds;
            // the endpoint goes, so nothing more is sent while the later scenarios run
            http.exchange(HttpConnection.request("DELETE", "/v1/webhooks/" + id, "Bearer " + Scenarios.KEY, null));

            // deliveries per window by arrival; the lag of the events recorded in the windows rides on the first,
            // so the merged percentiles are the lag's
            Load.Result first = writes.windows().getFirst();
            long measuredFrom = first.startNanos() + wallMinusNano;
            long measuredTo = measuredFrom + (long) (writes.windows().size() * first.seconds() * 1e9);
            Histogram lag = receiver.lag(measuredFrom, measuredTo);
            Histogram lagAll = receiver.lag(Long.MIN_VALUE, Long.MAX_VALUE);
            List<Load.Result> perWindow = new ArrayList<>();
            for (Load.Result window : writes.windows()) {
                long from = window.startNanos();
                long count = receiver.deliveredBetween(from, from + (long) (window.seconds() * 1e9));
                perWindow.add(new Load.Result(
                        "webhook deliveries",
                        count,
                        count,
                        0,
                        window.seconds(),
                        perWindow.isEmpty() ? lag : new Histogram(3),
                        0,
                        from));
            }
            Outcome outcome = new Outcome(
                    writes,
                    rate,
                    acknowledged.get(),
                    receiver.delivered(),
                    receiver.duplicates(),
                    receiver.refused(),
                    drainSeconds,
                    drainRate,
                    new Measured("webhook deliveries", perWindow, null),
                    lag,
                    lagAll);
            System.out.printf(
                    Locale.ROOT,
                    "%-44s %d events acknowledged, %d delivered and verified (%d again, %d refused) after a %.1f s"
                            + " drain (%.0f/s); lag p50 %.0f ms, p99 %.0f ms%n",
                    "webhook",
                    outcome.acknowledged(),
                    outcome.delivered(),
                    outcome.duplicates(),
                    outcome.refused(),
                    drainSeconds,
                    drainRate,
                    outcome.lagMillis(50),
                    outcome.lagMillis(99));
            return outcome;
        }
    }

    /** A top-level string field of a small JSON answer. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
