package io.optledger.dialect.capillary;

import io.optledger.access.AccessDenied;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Status;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Message;
import io.optledger.platform.Conflict;
import io.optledger.platform.ErrorShapes;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.platform.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error of the Capillary dialect as Capillary does: v1.1 as {@code response.status} {success, code,
 * message}, v2 as {@code errors[]} {status, message, code} beside {@code warnings}, in JSON or, where XML was asked for,
 * in XML. Never a stack trace.
 */
@RestControllerAdvice(basePackageClasses = CapillaryErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class CapillaryErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(CapillaryErrors.class);

    private final CapillaryCodec codec;

    CapillaryErrors(ErrorShapes shapes, CapillaryCodec codec) {
        this.codec = codec;
        shapes.register("/capillary/", (request, status, message) -> render(request, status, status.value(), message));
    }

    @ExceptionHandler
    ResponseEntity<Object> failure(CapillaryFailure e, HttpServletRequest request) {
        return render(request, e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> accessDenied(AccessDenied e, HttpServletRequest request) {
        HttpStatus status = e.authenticated() ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED;
        ResponseEntity<Object> rendered =
                render(request, status, status.value(), status.getReasonPhrase() + ": " + e.getMessage());
        if (e.authenticated()) {
            return rendered;
        }
        return ResponseEntity.status(status)
                .headers(rendered.getHeaders())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"capillary\"")
                .body(rendered.getBody());
    }

    @ExceptionHandler
    ResponseEntity<Object> invalidInput(InvalidInput e, HttpServletRequest request) {
        return render(request, HttpStatus.BAD_REQUEST, 400, e.field() + ": " + e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> notFound(NotFound e, HttpServletRequest request) {
        return render(
                request,
                HttpStatus.BAD_REQUEST,
                CapillaryCode.CUSTOMER_NOT_FOUND.code(),
                CapillaryCode.CUSTOMER_NOT_FOUND.message(e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<Object> conflict(Conflict e, HttpServletRequest request) {
        return render(request, HttpStatus.CONFLICT, HttpStatus.CONFLICT.value(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (RequestErrors.isOverload(e)) {
            log.warn("Database unavailable or saturated: {}", e.getMessage());
            ResponseEntity<Object> rendered =
                    render(request, HttpStatus.SERVICE_UNAVAILABLE, 503, "the service is overloaded; retry shortly");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .headers(rendered.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(rendered.getBody());
        }
        log.error("Unexpected error", e);
        return render(
                request, HttpStatus.INTERNAL_SERVER_ERROR, 500, "an unexpected error occurred; it has been logged");
    }

    /** Spring MVC's own failures (unreadable body, missing parameter, wrong method or media type) in our shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        return ErrorShapes.withHeaders(
                render(servlet, status, status.value(), RequestErrors.describe(e, status)), headers);
    }

    /** An error in the version's shape, in the format the request asked for (XML too: Capillary's format=xml). */
    private ResponseEntity<Object> render(
            @Nullable HttpServletRequest request, HttpStatusCode status, int code, String message) {
        boolean v11 = CapillaryFormat.isV11(request);
        Object body = v11
                ? Map.of(CapillaryCodec.ANSWER_ROOT, Map.of("status", Status.failure(code, message)))
                : CapillaryV2Payloads.ErrorResponse.of(List.of(), List.of(new Message(false, message, code)));
        CapillaryFormat.Format format = request == null || status.value() == HttpStatus.NOT_ACCEPTABLE.value()
                ? CapillaryFormat.Format.JSON
                : CapillaryFormat.answer(request);
        ResponseEntity<byte[]> written = codec.write(format, status, body, v11);
        return ResponseEntity.status(status).headers(written.getHeaders()).body(written.getBody());
    }
}
