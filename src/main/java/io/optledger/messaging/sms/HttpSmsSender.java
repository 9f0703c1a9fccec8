package io.optledger.messaging.sms;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Sends texts to any HTTP SMS gateway: a POST of a JSON body built from a template with {@code {from}}, {@code {to}}
 * and {@code {body}} (each JSON-escaped), with an optional {@code Authorization} header. A 2xx answer is sent;
 * anything else, or no answer, is a failure to retry.
 */
public class HttpSmsSender implements SmsSender {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI url;
    private final @Nullable String authorization;
    private final String bodyTemplate;

    public HttpSmsSender(URI url, @Nullable String authorization, String bodyTemplate) {
        this.url = url;
        this.authorization = authorization == null || authorization.isBlank() ? null : authorization;
        this.bodyTemplate = bodyTemplate;
    }

    @Override
    public void send(String from, String to, String body) throws SendFailure {
        String json = bodyTemplate
                .replace("{from}", escape(from))
                .replace("{to}", escape(to))
                .replace("{body}", escape(body));
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new SendFailure("the SMS gateway answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new SendFailure(
                    "the SMS gateway could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendFailure("interrupted while sending");
        }
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        JsonStringEncoder.getInstance().quoteAsString(text, escaped);
        return escaped.toString();
    }
}
