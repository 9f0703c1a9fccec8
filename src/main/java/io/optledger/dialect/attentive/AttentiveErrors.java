package io.optledger.dialect.attentive;

import io.optledger.access.AccessDenied;
import io.optledger.dialect.attentive.AttentivePayloads.Error;
import io.optledger.platform.Conflict;
import io.optledger.platform.ErrorShapes;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.platform.RequestErrors;
import io.optledger.platform.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders the Attentive dialect's errors as Attentive does: {@code {"error": {"id", "message"}}}, the id being the
 * request id (also in {@code X-Request-Id}) so a support question can find the log lines.
 */
@RestControllerAdvice(basePackageClasses = AttentiveErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AttentiveErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AttentiveErrors.class);

    AttentiveErrors(ErrorShapes shapes) {
        shapes.register("/attentive/", AttentiveErrors::render);
    }

    @ExceptionHandler
    ResponseEntity<Object> failure(AttentiveFailure e, HttpServletRequest request) {
        return render(request, e.status(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> accessDenied(AccessDenied e, HttpServletRequest request) {
        if (e.authenticated()) {
            return render(request, HttpStatus.FORBIDDEN, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body(request, e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<Object> invalidInput(InvalidInput e, HttpServletRequest request) {
        return render(request, HttpStatus.BAD_REQUEST, e.field() + ": " + e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> notFound(NotFound e, HttpServletRequest request) {
        return render(request, HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> conflict(Conflict e, HttpServletRequest request) {
        return render(request, HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (RequestErrors.isOverload(e)) {
            log.warn("Database unavailable or saturated: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(body(request, "the service is overloaded; retry shortly"));
        }
        log.error("Unexpected error", e);
        return render(request, HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged");
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        return ErrorShapes.withHeaders(render(servlet, status, RequestErrors.describe(e, status)), headers);
    }

    static ResponseEntity<Object> render(@Nullable HttpServletRequest request, HttpStatusCode status, String message) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body(request, message));
    }

    private static AttentivePayloads.ErrorResponse body(@Nullable HttpServletRequest request, String message) {
        String id = request == null ? "" : RequestIdFilter.of(request);
        return new AttentivePayloads.ErrorResponse(new Error(id, message));
    }
}
