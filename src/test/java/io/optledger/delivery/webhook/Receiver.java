package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on a real port of 127.0.0.1: records every request as it arrived and answers as told. It can go
 * down (its port closed, so connections are refused) and come back on the same port.
 */
final class Receiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A request as received, headers by lowercase name, and the status it was answered. */
    record Received(Instant at, String path, Map<String, String> headers, String body, int answered) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name);
        }

        boolean ok() {
            return answered / 100 == 2;
        }
    }

    /** What to answer: a status, headers, a body, after a delay. */
    record Answer(int status, Map<String, String> headers, String body, Duration delay) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), "", Duration.ZERO);
        }

        static Answer redirect(String location) {
            return new Answer(302, Map.of("Location", location), "", Duration.ZERO);
        }

        /** The same answer, given only after this many milliseconds. */
        Answer after(long millis) {
            return new Answer(status, headers, body, Duration.ofMillis(millis));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> answers = request -> Answer.status(204);
    private volatile @Nullable HttpServer server;
    private volatile int port;

    private Receiver() {}

    /** A receiver on a free port, answering 204 to everything. */
    static Receiver start() throws IOException, InterruptedException {
        Receiver receiver = new Receiver();
        receiver.up();
        return receiver;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    void answer(Function<Received, Answer> answers) {
        this.answers = answers;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Closes the port: connections are refused until {@link #up()}. */
    void down() {
        HttpServer current = server;
        if (current != null) {
            current.stop(0);
            server = null;
        }
    }

    /** Listens again, on the port it had (a fresh one the first time). */
    void up() throws IOException, InterruptedException {
        HttpServer started = null;
        // the port just closed may take a moment to be free again
        for (int tries = 0; started == null; tries++) {
            try {
                started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            } catch (java.net.BindException e) {
                if (tries == 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        port = started.getAddress().getPort();
        started.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        started.createContext("/", this::handle);
        started.start();
        server = started;
    }

    /** Waits (up to 30 s) until what was received satisfies the condition, and answers it. */
    List<Received> await(String what, Predicate<List<Received>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.test(received()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.test(received()))
                .as(what + "; received: "
                        + received().stream().map(Received::body).toList())
                .isTrue();
        return received();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        Received request = new Received(
                Instant.now(),
                exchange.getRequestURI().getPath(),
                headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                0);
        Answer answer = answers.apply(request);
        received.add(new Received(request.at(), request.path(), headers, request.body(), answer.status()));
        try {
            Thread.sleep(answer.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        down();
    }
}
