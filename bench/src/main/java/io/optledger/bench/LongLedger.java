package io.optledger.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * How the ledger's cost grows with a contact's history: one contact given {@code events} ledger events through the
 * API (1,000 changes per call, so the chain is the service's own), then append, verify and a page of events measured
 * on it and on an ordinary contact, one request at a time, so each figure is the cost of one operation.
 */
final class LongLedger {

    private static final int PER_CALL = 1000;
    private static final int PAGE = 1000;
    private static final Duration WARMUP = Duration.ofSeconds(2);
    private static final int WARMUP_CALLS = 3;

    /** One operation on the ordinary contact and on the long one. */
    record Operation(String name, Measured ordinary, Measured longer) {}

    /** The long contact, how its events were written, and the operations measured. */
    record Outcome(
            long contactId,
            int events,
            double seedSeconds,
            long ordinaryId,
            long ordinaryEvents,
            List<Operation> operations) {}

    private final ServiceProcess service;
    private final Duration measure;
    private final int windows;

    private LongLedger(ServiceProcess service, Duration measure, int windows) {
        this.service = service;
        this.measure = measure;
        this.windows = windows;
    }

    /** The long contact is {@code contacts + 1}, which the seed created with no consent. */
    static Outcome run(ServiceProcess service, Options options) throws IOException, InterruptedException {
        return new LongLedger(service, options.measure(), options.windows())
                .measure(options.contacts() + 1L, options.ledgerEvents(), options.contacts());
    }

    private Outcome measure(long contact, int events, int contacts) throws IOException, InterruptedException {
        try (HttpConnection http = new HttpConnection("127.0.0.1", service.port())) {
            long started = System.nanoTime();
            for (int written = 0; written < events; written += PER_CALL) {
                StringBuilder json = new StringBuilder(PER_CALL * 90).append("{\"items\":[");
                for (int i = 0; i < Math.min(PER_CALL, events - written); i++) {
                    json.append(i == 0 ? "" : ",").append(Scenarios.change(contact, (written + i) % 2 == 0));
                }
                Seed.expect(
                        http.exchange(HttpConnection.post(
                                "/v1/subscriptions/changes",
                                Scenarios.KEY,
                                json.append("]}").toString())),
                        200,
                        "writing the long ledger");
            }
            double seedSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "%-44s %,d events written to contact %d in %.1f s (%.0f events/s, %d per call)%n",
                    "long ledger",
                    events,
                    contact,
                    seedSeconds,
                    events / seedSeconds,
                    PER_CALL);

            // an ordinary contact: opted in at the seed, changed now and then by the scenarios
            long ordinary = 2;
            long ordinaryEvents = eventsChecked(http, ordinary);
            long[] cursor = {0};
            List<Operation> operations = new ArrayList<>();
            operations.add(new Operation(
                    "append one change (ordinary: a random contact)",
                    sequential(
                            http,
                            "append, ordinary contacts",
                            () -> Scenarios.changes(ThreadLocalRandom.current(), contacts, 1),
                            Scenarios.CHANGES),
                    sequential(
                            http,
                            "append, long contact",
                            // random opt-ins and opt-outs, as for the ordinary contacts: half of them change state
                            () -> post(Scenarios.change(
                                    contact, ThreadLocalRandom.current().nextBoolean())),
                            Scenarios.CHANGES)));
            operations.add(new Operation(
                    Report.f("verify the chain (%,d vs %,d events)", ordinaryEvents, events + 0L),
                    sequential(http, "verify, ordinary contact", () -> verify(ordinary), LongLedger::valid),
                    sequential(http, "verify, long contact", () -> verify(contact), LongLedger::valid)));
            operations.add(new Operation(
                    Report.f("one page, limit %,d (ordinary: its %,d events)", PAGE, ordinaryEvents),
                    sequential(http, "page, ordinary contact", () -> page(ordinary, 0), Load.Check.STATUS),
                    sequential(
                            http,
                            "page, long contact",
                            () -> {
                                // through the whole chain, page after page, and round again
                                byte[] request = page(contact, cursor[0]);
                                cursor[0] = cursor[0] + PAGE >= events ? 0 : cursor[0] + PAGE;
                                return request;
                            },
                            Load.Check.STATUS)));
            return new Outcome(contact, events, seedSeconds, ordinary, ordinaryEvents, operations);
        }
    }

    private static byte[] post(String item) {
        return HttpConnection.post("/v1/subscriptions/changes", Scenarios.KEY, "{\"items\":[" + item + "]}");
    }

    private static byte[] verify(long contact) {
        return HttpConnection.get("/v1/contacts/" + contact + "/events/verify", Scenarios.KEY);
    }

    private static byte[] page(long contact, long afterSeq) {
        return HttpConnection.get(
                "/v1/contacts/" + contact + "/events?afterSeq=" + afterSeq + "&limit=" + PAGE, Scenarios.KEY);
    }

    private static String valid(HttpConnection.Response response) {
        return response.status() == 200 && response.text().contains("\"valid\":true")
                ? null
                : Load.Check.describe(response);
    }

    private static long eventsChecked(HttpConnection http, long contact) throws IOException {
        String text = http.exchange(verify(contact)).text();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"eventsChecked\":(\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * One request at a time: a short warm-up, then each window runs calls for at least its length and at least one
     * call, so even an operation slower than a window gets a figure.
     */
    private Measured sequential(HttpConnection http, String name, Supplier<byte[]> request, Load.Check check)
            throws IOException {
        long warmUntil = System.nanoTime() + WARMUP.toNanos();
        for (int calls = 0; calls < WARMUP_CALLS || System.nanoTime() < warmUntil; calls++) {
            http.exchange(request.get());
        }
        List<Load.Result> results = new ArrayList<>(windows);
        String firstError = null;
        for (int w = 0; w < windows; w++) {
            Histogram latency = new Histogram(3);
            long start = System.nanoTime();
            double cpuBefore = service.cpuSeconds();
            long calls = 0;
            long errors = 0;
            long now = start;
            while (calls == 0 || now - start < measure.toNanos()) {
                long sent = System.nanoTime();
                String error = check.error(http.exchange(request.get()));
                now = System.nanoTime();
                latency.recordValue(now - sent);
                calls++;
                if (error != null) {
                    errors++;
                    firstError = firstError == null ? error : firstError;
                }
            }
            results.add(new Load.Result(
                    name, calls, calls, errors, (now - start) / 1e9, latency, service.cpuSeconds() - cpuBefore, start));
        }
        Measured measured = new Measured(name, results, firstError);
        System.out.printf(
                Locale.ROOT,
                "%-44s %9.2f ms/op  (%.2f-%.2f)  p99 %8.2f ms  cpu %.2f ms/op  errors %d%n",
                name,
                1000 / measured.median(),
                1000 / measured.max(),
                1000 / measured.min(),
                measured.percentileMillis(99),
                measured.cpuPerThousandUnits(),
                measured.errors());
        return measured;
    }
}
