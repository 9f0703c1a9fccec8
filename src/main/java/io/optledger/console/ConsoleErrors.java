package io.optledger.console;

import io.optledger.access.AccessDenied;
import io.optledger.platform.Conflict;
import io.optledger.platform.ErrorShapes;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.platform.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's errors, as small HTML pages with a way back: what was refused and why in a sentence (the API's own
 * message for bad input), never a stack trace. Errors raised before a handler runs (an unknown page, a wrong method, an
 * oversized form) get the same pages.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    private final MessageSource messages;

    ConsoleErrors(MessageSource messages, ErrorShapes shapes) {
        this.messages = messages;
        shapes.register(
                "/console",
                (request, status, message) -> ResponseEntity.status(status)
                        .contentType(MediaType.TEXT_HTML)
                        .body((Object) html(status, null)));
    }

    @ExceptionHandler
    ResponseEntity<String> refused(ConsoleRefused e) {
        return page(e.status(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<String> denied(AccessDenied e) {
        return page(e.authenticated() ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<String> notFound(NotFound e) {
        return page(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<String> invalid(InvalidInput e) {
        return page(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<String> malformed(Exception e) {
        return page(HttpStatus.BAD_REQUEST, null);
    }

    @ExceptionHandler
    ResponseEntity<String> conflict(Conflict e) {
        return page(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<String> unexpected(HttpServletRequest request, Exception e) {
        if (RequestErrors.isOverload(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .contentType(MediaType.TEXT_HTML)
                    .body(html(HttpStatus.SERVICE_UNAVAILABLE, null));
        }
        log.error("Unexpected error in the console on {}", request.getRequestURI(), e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, null);
    }

    private ResponseEntity<String> page(HttpStatusCode status, @Nullable String detail) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).body(html(status, detail));
    }

    /** A page of its own, not a template: it must render whatever failed. */
    private String html(HttpStatusCode status, @Nullable String detail) {
        String key = switch (status.value()) {
            case 400, 401, 403, 404, 409, 503 -> "console.error." + status.value();
            default -> status.is5xxServerError() ? "console.error.500" : "console.error.400";
        };
        String title = HtmlUtils.htmlEscape(messages.getMessage(key, null, Locale.ENGLISH));
        String back = HtmlUtils.htmlEscape(messages.getMessage("console.error.back", null, Locale.ENGLISH));
        String text = detail == null ? "" : "<p>" + HtmlUtils.htmlEscape(detail) + "</p>";
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title
                + " · OptLedger console</title><link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head>"
                + "<body><main class=\"narrow\"><h1>" + title + "</h1>" + text + "<p><a href=\"/console\">" + back
                + "</a></p></main></body></html>";
    }
}
