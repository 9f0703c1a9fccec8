package io.optledger.preferences;

import io.optledger.platform.ErrorShapes;
import io.optledger.platform.NotFound;
import io.optledger.platform.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
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
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.util.HtmlUtils;

/**
 * The public pages' errors, as plain pages in the person's language: a link that does not open says only that it is
 * no longer valid (never which part failed), a refused request says why in a sentence, and nothing shows a stack
 * trace. Errors raised before a page's handler runs (a wrong method, an oversized form) get the same pages.
 */
@ControllerAdvice(basePackageClasses = PageErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    static final List<String> PREFIXES = List.of("/p/", "/u/", "/c/");
    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    private final MessageSource messages;

    PageErrors(MessageSource messages, ErrorShapes shapes) {
        this.messages = messages;
        PREFIXES.forEach(prefix -> shapes.register(prefix, this::render));
    }

    @ExceptionHandler({InvalidLink.class, NotFound.class})
    ResponseEntity<Object> invalid(HttpServletRequest request, RuntimeException e) {
        log.debug("A public link did not open: {}", e.getMessage());
        return page(request, HttpStatus.NOT_FOUND, "error.invalid");
    }

    @ExceptionHandler
    ResponseEntity<Object> refused(HttpServletRequest request, PageRefused e) {
        ResponseEntity<Object> page =
                page(request, e.status(), "error." + e.status().value());
        if (e.retryAfterSeconds() > 0) {
            return ResponseEntity.status(e.status())
                    .headers(page.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                    .body(page.getBody());
        }
        return page;
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(HttpServletRequest request, Exception e) {
        if (RequestErrors.isOverload(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .contentType(MediaType.TEXT_HTML)
                    .body(html(request, "error.503"));
        }
        log.error("Unexpected error on a public page", e);
        return page(request, HttpStatus.INTERNAL_SERVER_ERROR, "error.500");
    }

    /** Any status on a public path, as the global error handling asks for it (405, 413, 400 before a handler). */
    private ResponseEntity<Object> render(HttpServletRequest request, HttpStatusCode status, String message) {
        String key = switch (status.value()) {
            case 404 -> "error.invalid";
            case 429, 503 -> "error." + status.value();
            default -> status.is5xxServerError() ? "error.500" : "error.400";
        };
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).body(html(request, key));
    }

    private ResponseEntity<Object> page(HttpServletRequest request, HttpStatusCode status, String key) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).body(html(request, key));
    }

    /** A small page of its own, not a template: it must render whatever failed. */
    private String html(HttpServletRequest request, String key) {
        Locale locale = PageLocales.current(request);
        String title = HtmlUtils.htmlEscape(messages.getMessage(key + ".title", null, locale));
        String text = HtmlUtils.htmlEscape(messages.getMessage(key + ".text", null, locale));
        return "<!DOCTYPE html><html lang=\"" + locale.toLanguageTag() + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;"
                + "color:#1a1a1a;line-height:1.5}</style></head><body><main><h1>" + title + "</h1><p>" + text
                + "</p></main></body></html>";
    }
}
