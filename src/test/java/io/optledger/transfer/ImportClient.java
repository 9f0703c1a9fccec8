package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** Uploads files to /v1/imports over real HTTP and waits for their jobs. */
record ImportClient(String baseUrl, String key) {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ImportClient(int port, String key) {
        this("http://localhost:" + port, key);
    }

    ApiClient.Response upload(String query, String contentType, String body) {
        return upload(query, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    ApiClient.Response upload(String query, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/imports" + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", contentType)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Uploads a body as it is generated, chunked (no Content-Length). */
    ApiClient.Response uploadStream(String query, String contentType, Supplier<java.io.InputStream> body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/imports" + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", contentType)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)));
    }

    ApiClient.Response get(String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + key)
                .header("Accept", accept)
                .timeout(Duration.ofMinutes(5))
                .GET());
    }

    /** Uploads and answers the job's id, asserting a 202. */
    String start(String query, String contentType, String body) {
        ApiClient.Response response = upload(query, contentType, body);
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.json().get("id").asString();
    }

    JsonNode job(String id) {
        ApiClient.Response response = get("/v1/imports/" + id, "application/json");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Waits until the job is over (DONE, CANCELLED or FAILED) and answers it. */
    JsonNode await(String id, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            JsonNode job = job(id);
            if (List.of("DONE", "CANCELLED", "FAILED").contains(job.get("state").asString())) {
                return job;
            }
            assertThat(System.nanoTime()).as("import " + id + " still " + job).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Runs a whole import and answers its finished job, asserting it is DONE. */
    JsonNode run(String query, String contentType, String body) throws InterruptedException {
        JsonNode job = await(start(query, contentType, body), Duration.ofMinutes(5));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("DONE");
        return job;
    }

    private static ApiClient.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Response(
                    response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
