package io.optledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Writers posting single opt-ins and opt-outs of marketing email for a set of contacts until stopped, keeping every
 * change the service acknowledged (2xx with its ledger seq) and every answer's status; then what the ledgers hold of
 * them. For crash and fault tests: whatever happens to the nodes, nothing acknowledged may be missing.
 */
public final class WriteLoad implements AutoCloseable {

    /** An acknowledged change: the contact and the ledger seq the service answered for it. */
    public record Acknowledged(long contact, long seq, String action) {}

    private final Map<Acknowledged, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder unavailableWithoutRetryAfter = new LongAdder();
    private final LongAdder unanswered = new LongAdder();
    private final AtomicLong lastAcknowledgedNanos = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService writers;

    /** Starts {@code threads} writers, each asking {@code node} for the node to write to on every request. */
    public WriteLoad(Supplier<ApiClient> node, String key, List<Long> contacts, int threads) {
        writers = Executors.newFixedThreadPool(threads);
        for (int w = 0; w < threads; w++) {
            int writer = w;
            writers.submit(() -> write(node, key, contacts, threads, writer));
        }
    }

    private void write(Supplier<ApiClient> node, String key, List<Long> contacts, int threads, int writer) {
        for (int i = 0; !stop.get(); i++) {
            long contact = contacts.get((writer + i * threads) % contacts.size());
            String action = i % 2 == 0 ? "OPT_IN" : "OPT_OUT";
            try {
                ApiClient.Response response = node.get()
                        .post(
                                "/v1/subscriptions/changes",
                                key,
                                ApiClient.json(Map.of(
                                        "items",
                                        List.of(Map.of(
                                                "contactId",
                                                contact,
                                                "channel",
                                                "EMAIL",
                                                "topic",
                                                "marketing",
                                                "action",
                                                action)))));
                statuses.computeIfAbsent(response.status(), s -> new LongAdder())
                        .increment();
                if (response.status() == 200) {
                    JsonNode result = response.json().get("results").get(0);
                    long now = System.nanoTime();
                    acknowledged.put(
                            new Acknowledged(contact, result.get("eventSeq").asLong(), action), now);
                    lastAcknowledgedNanos.set(now);
                } else if (response.status() == 503 && response.header("Retry-After") == null) {
                    unavailableWithoutRetryAfter.increment();
                }
            } catch (RuntimeException e) {
                // no answer (the node is gone): this write was never acknowledged
                unanswered.increment();
            }
        }
    }

    /** How many answers had this status so far. */
    public long count(int status) {
        LongAdder count = statuses.get(status);
        return count == null ? 0 : count.sum();
    }

    /** Every status answered so far, with its count. */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    public long unavailableWithoutRetryAfter() {
        return unavailableWithoutRetryAfter.sum();
    }

    public long unanswered() {
        return unanswered.sum();
    }

    public Set<Acknowledged> acknowledged() {
        return acknowledged.keySet();
    }

    /** The changes acknowledged before {@code nanos} ({@link System#nanoTime()}). */
    public Set<Acknowledged> acknowledgedBefore(long nanos) {
        Set<Acknowledged> before = new HashSet<>();
        acknowledged.forEach((change, at) -> {
            if (at - nanos < 0) {
                before.add(change);
            }
        });
        return before;
    }

    /** Waits until this many changes were acknowledged (2 minutes at most). */
    public void awaitAcknowledged(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime())
                    .as("only " + acknowledged.size() + " acknowledged")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until some write is acknowledged after {@code sinceNanos}; answers when (nanoTime), or -1 on timeout. */
    public long awaitAcknowledgedAfter(long sinceNanos, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            long last = lastAcknowledgedNanos.get();
            if (last - sinceNanos > 0) {
                return last;
            }
            Thread.sleep(10);
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    /** The changes this load had acknowledged that are missing from the contacts' ledgers; see the static form. */
    public Set<Acknowledged> lost(ApiClient api, String key, List<Long> contacts) {
        return lost(api, key, contacts, acknowledged.keySet());
    }

    /**
     * The acknowledged changes missing from the contacts' ledgers, each ledger verified on the way: asserts every
     * ledger's hash chain holds.
     */
    public static Set<Acknowledged> lost(
            ApiClient api, String key, List<Long> contacts, Set<Acknowledged> acknowledged) {
        Set<Acknowledged> present = new HashSet<>();
        for (long contact : contacts) {
            JsonNode verification =
                    api.get("/v1/contacts/" + contact + "/events/verify", key).json();
            assertThat(verification.get("valid").asBoolean())
                    .as(verification.toString())
                    .isTrue();
            long after = 0;
            JsonNode page;
            do {
                page = api.get("/v1/contacts/" + contact + "/events?limit=1000&afterSeq=" + after, key)
                        .json();
                for (JsonNode event : page.get("events")) {
                    after = event.get("seq").asLong();
                    present.add(
                            new Acknowledged(contact, after, event.get("action").asString()));
                }
            } while (!page.get("nextAfterSeq").isNull());
        }
        Set<Acknowledged> lost = new HashSet<>(acknowledged);
        lost.removeAll(present);
        return lost;
    }
}
