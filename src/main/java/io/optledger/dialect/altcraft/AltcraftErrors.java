package io.optledger.dialect.altcraft;

import io.optledger.dialect.altcraft.AltcraftCodec.Format;
import io.optledger.platform.Conflict;
import io.optledger.platform.ErrorShapes;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.platform.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders the Altcraft methods' errors as Altcraft does, {@code {error, error_text}}, in the format the request asked
 * for. The registration endpoints under {@code /v1/altcraft} are native API and answer problem details.
 */
@RestControllerAdvice(assignableTypes = AltcraftController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AltcraftErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AltcraftErrors.class);

    private static final Pattern FORMAT_IN_QUERY =
            Pattern.compile("(?:^|&)format=([A-Za-z]*)(?:&|$)", Pattern.CASE_INSENSITIVE);

    private final AltcraftCodec codec;

    AltcraftErrors(AltcraftCodec codec, ErrorShapes shapes) {
        this.codec = codec;
        shapes.register("/altcraft/", (request, status, message) -> {
            AltcraftError error = errorFor(status);
            ResponseEntity<byte[]> rendered = codec.error(format(request), error, error.text() + ": " + message);
            return ResponseEntity.status(status).headers(rendered.getHeaders()).body(rendered.getBody());
        });
    }

    @ExceptionHandler
    ResponseEntity<byte[]> failure(AltcraftFailure e, HttpServletRequest request) {
        return codec.error(format(request), e.error(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<byte[]> invalidInput(InvalidInput e, HttpServletRequest request) {
        return codec.error(
                format(request),
                AltcraftError.INVALID_FIELD,
                AltcraftError.INVALID_FIELD.text() + ": " + e.field() + ": " + e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<byte[]> notFound(NotFound e, HttpServletRequest request) {
        return codec.error(
                format(request),
                AltcraftError.UNKNOWN_PROFILE,
                AltcraftError.UNKNOWN_PROFILE.text() + ": " + e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<byte[]> conflict(Conflict e, HttpServletRequest request) {
        return codec.error(
                format(request),
                AltcraftError.PROFILE_CONFLICT,
                AltcraftError.PROFILE_CONFLICT.text() + ": " + e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        if (RequestErrors.isOverload(e)) {
            log.warn("Database unavailable or saturated: {}", e.getMessage());
            ResponseEntity<byte[]> overloaded =
                    codec.error(format(request), AltcraftError.OVERLOADED, AltcraftError.OVERLOADED.text());
            return ResponseEntity.status(overloaded.getStatusCode())
                    .headers(overloaded.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(overloaded.getBody());
        }
        log.error("Unexpected error", e);
        return codec.error(format(request), AltcraftError.INTERNAL, AltcraftError.INTERNAL.text());
    }

    /** Spring MVC's own failures (wrong method, missing parameter) in Altcraft's shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        AltcraftError error = errorFor(status);
        ResponseEntity<byte[]> rendered =
                codec.error(format(servlet), error, error.text() + ": " + RequestErrors.describe(e, status));
        return ResponseEntity.status(status).headers(rendered.getHeaders()).body(rendered.getBody());
    }

    /** Altcraft's error for one of Spring's, Tomcat's or the request filter's statuses: a wrong path is an unknown method, say. */
    private static AltcraftError errorFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> AltcraftError.INVALID_TOKEN;
            case 403 -> AltcraftError.FORBIDDEN;
            case 404, 405 -> AltcraftError.UNKNOWN_METHOD;
            case 408 -> AltcraftError.TOO_SLOW;
            case 413 -> AltcraftError.TOO_LARGE;
            case 503 -> AltcraftError.OVERLOADED;
            default -> status.is5xxServerError() ? AltcraftError.INTERNAL : AltcraftError.MALFORMED_BODY;
        };
    }

    /**
     * The format the request asked for; before the controller has looked (a refusal by a filter), the one its query
     * and content type ask for, read without touching the body.
     */
    private static Format format(@Nullable HttpServletRequest request) {
        if (request == null) {
            return Format.JSON;
        }
        if (request.getAttribute(AltcraftController.FORMAT_ATTRIBUTE) instanceof Format known) {
            return known;
        }
        Matcher asked = FORMAT_IN_QUERY.matcher(Objects.requireNonNullElse(request.getQueryString(), ""));
        if (asked.find()) {
            // the answer's format, asked for in the query, whatever the body's
            String format = asked.group(1);
            return format.equalsIgnoreCase("xml") ? Format.XML : Format.JSON;
        }
        return AltcraftCodec.bodyFormat(request.getContentType(), null);
    }
}
