package io.optledger.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;

/**
 * A webhook receiver in the benchmark's process, verifying every delivery as the Standard Webhooks specification says
 * (an implementation of its own, not the service's): only a delivery whose signature verifies counts. Lag is from the
 * event's {@code recordedAt} (the service's time of the change, in the payload: the writing transaction's clock, a
 * little before its commit) to the verified receipt, on the same machine's clock.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final Pattern RECORDED_AT = Pattern.compile("\"recordedAt\":\"([^\"]+)\"");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final HttpServer server;
    private volatile byte[] key = new byte[0];
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Long> receivedAt = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Lag> lags = new ConcurrentLinkedQueue<>();

    /** One delivery's lag, and when its event was recorded (epoch nanoseconds). */
    private record Lag(long recordedAt, long nanos) {}

    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", this::receive);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The endpoint's secret, {@code whsec_} and base64, as the API showed it once. */
    void secret(String secret) {
        key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            long now = System.nanoTime();
            Instant wallNow = Instant.now();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (id == null || timestamp == null || signatures == null || !verified(id, timestamp, body, signatures)) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (ids.add(id)) {
                receivedAt.add(now);
                Matcher recorded = RECORDED_AT.matcher(new String(body, StandardCharsets.UTF_8));
                if (recorded.find()) {
                    Instant at = Instant.parse(recorded.group(1));
                    lags.add(new Lag(
                            at.getEpochSecond() * 1_000_000_000L + at.getNano(),
                            Math.max(0, Duration.between(at, wallNow).toNanos())));
                }
            } else {
                duplicates.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private boolean verified(String id, String timestamp, byte[] body, String signatures) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(signature.substring(3));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Distinct webhook-ids received with a valid signature. */
    long delivered() {
        return ids.size();
    }

    long duplicates() {
        return duplicates.get();
    }

    long refused() {
        return refused.get();
    }

    /** Verified first receipts whose arrival fell in {@code [from, to)} (nanoTime). */
    long deliveredBetween(long from, long to) {
        return receivedAt.stream().filter(t -> t >= from && t < to).count();
    }

    /**
     * Commit-to-receipt lag of the distinct deliveries so far whose event was recorded in {@code [from, to)} (epoch
     * nanoseconds), from the payload's recordedAt.
     */
    Histogram lag(long from, long to) {
        Histogram histogram = new Histogram(3);
        lags.stream()
                .filter(l -> l.recordedAt() >= from && l.recordedAt() < to)
                .forEach(l -> histogram.recordValue(l.nanos()));
        return histogram;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
