package io.optledger.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running service: JSON bodies as text in, parsed trees out. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final int port;

    public ApiClient(int port) {
        this.baseUrl = "http://localhost:" + port;
        this.port = port;
    }

    /** A response: status, headers and the body, parsed when it is JSON. */
    public record Response(int status, String text, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            return JSON.readTree(text);
        }

        public @Nullable String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(e -> e.getValue().getFirst())
                    .orElse(null);
        }
    }

    public Response get(String path, @Nullable String key) {
        return send(request(path, key).GET(), key);
    }

    /**
     * A GET written byte for byte, for request lines {@link URI} refuses to build (malformed percent-encoding);
     * answers the status line's code and the body.
     */
    public Response rawGet(String pathAndQuery, String key) {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream()
                    .write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String response =
                    new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String head = response.substring(0, response.indexOf("\r\n\r\n"));
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            java.util.Map<String, java.util.List<String>> headers = new java.util.HashMap<>();
            head.lines()
                    .skip(1)
                    .forEach(line -> headers.put(
                            line.substring(0, line.indexOf(':')).trim(),
                            java.util.List.of(
                                    line.substring(line.indexOf(':') + 1).trim())));
            // a chunked body starts with its size line; the problem JSON is what follows it
            if (body.indexOf('{') > 0) {
                body = body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1);
            }
            return new Response(status, body, headers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response delete(String path, @Nullable String key) {
        return send(request(path, key).DELETE(), key);
    }

    public Response post(String path, @Nullable String key, String json) {
        return post(path, key, json, Map.of());
    }

    public Response post(String path, @Nullable String key, String json, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::header);
        return send(builder, key);
    }

    /** A request with exactly the given headers (no bearer key added) and, unless null, a body. */
    public Response send(String method, String path, Map<String, String> headers, @Nullable String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder, null);
    }

    public Response patch(String path, @Nullable String key, String json) {
        return send(
                request(path, key)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)),
                key);
    }

    private HttpRequest.Builder request(String path, @Nullable String key) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder, @Nullable String key) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
