package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.Delivery.Attempt;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Makes one signed attempt: a POST of the body with the Standard Webhooks headers, through connections made only to
 * addresses {@link Destinations} vetted, never following a redirect, all of it within {@code optledger.webhooks.timeout},
 * reading at most 1 KiB of the answer.
 */
@Component
public class WebhookSender implements DisposableBean {

    static final int EXCERPT_BYTES = 1024;
    private static final String USER_AGENT = "OptLedger-Webhooks/1";

    private final CloseableHttpClient http;
    private final Duration timeout;
    private final Duration maxRetryInterval;
    private final Clock clock;

    WebhookSender(Destinations destinations, WebhookSettings settings, Clock clock) {
        this.timeout = settings.timeout();
        this.maxRetryInterval = settings.maxRetryInterval();
        this.clock = clock;
        Timeout limit = Timeout.of(timeout);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        // every connection's host resolved, and its addresses vetted, by the guard
                        .setDnsResolver(destinations)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(limit)
                                .setSocketTimeout(limit)
                                .setTimeToLive(TimeValue.ofMinutes(1))
                                .build())
                        .setMaxConnTotal(256)
                        .setMaxConnPerRoute(16)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(limit)
                        .setResponseTimeout(limit)
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /** One attempt as made, and the wait the receiver asked for with {@code Retry-After}, if it did. */
    public record Result(Attempt attempt, @Nullable Duration retryAfter) {}

    /** Posts {@code body} as delivery {@code id} to the endpoint, signed with its secrets at this moment. */
    public Result send(Endpoint endpoint, String id, String body) {
        Instant at = clock.instant();
        long timestamp = at.getEpochSecond();
        HttpPost post = new HttpPost(endpoint.url());
        post.setHeader("webhook-id", id);
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", Signatures.header(endpoint.signingSecrets(at), id, timestamp, body));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        long started = System.nanoTime();
        // the whole attempt, however slowly an answer trickles in: cancelling aborts the connection
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(
                post::cancel, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            int status = response.getCode();
            String excerpt = excerpt(response.getEntity());
            String error = status / 100 == 2
                    ? null
                    : status / 100 == 3 ? "HTTP " + status + " (redirects are not followed)" : "HTTP " + status;
            return new Result(
                    new Attempt(at, status, millisSince(started), error, excerpt),
                    retryAfter(response.getFirstHeader("Retry-After"), at));
        } catch (IOException e) {
            return new Result(new Attempt(at, null, millisSince(started), describe(e, deadline.isDone()), null), null);
        } finally {
            deadline.cancel(false);
        }
    }

    private static @Nullable String excerpt(@Nullable HttpEntity entity) throws IOException {
        if (entity == null) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(EXCERPT_BYTES);
            // text columns hold no NUL
            return new String(bytes, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
        }
    }

    private String describe(IOException e, boolean timedOut) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return Texts.clip(
                switch (e) {
                    case Destinations.RefusedDestination refused -> message;
                    case ConnectTimeoutException ignored -> "timed out connecting after " + timeout;
                    case SocketTimeoutException ignored -> "timed out after " + timeout;
                    case UnknownHostException ignored -> "unknown host: " + message;
                    case ConnectException ignored -> "connection refused: " + message;
                    case SSLException ignored -> "TLS failed: " + message;
                    case NoHttpResponseException ignored -> "no answer: the connection was closed";
                    default ->
                        timedOut
                                ? "timed out after " + timeout
                                : e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
                },
                500);
    }

    /** Seconds or an HTTP date, within 0 and the longest pause between attempts. */
    private @Nullable Duration retryAfter(@Nullable Header header, Instant now) {
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().strip();
        Duration wait;
        try {
            wait = value.chars().allMatch(Character::isDigit) && !value.isEmpty() && value.length() < 10
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.between(
                            now,
                            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                    .toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(maxRetryInterval) > 0 ? maxRetryInterval : wait;
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }
}
