package io.optledger.api;

import io.optledger.access.AccessDenied;
import io.optledger.consent.WriteUnavailable;
import io.optledger.platform.Conflict;
import io.optledger.platform.ErrorShapes;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.platform.RequestErrors;
import io.optledger.proof.ProofTooLarge;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.api.OpenApiResourceNotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error of the native API as an RFC 9457 problem with a stable {@code type} per kind. Ordered last, so
 * a dialect's own advice answers in its vendor's shape for its controllers.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    private final ErrorShapes errorShapes;

    ApiProblems(ErrorShapes errorShapes) {
        this.errorShapes = errorShapes;
        errorShapes.registerFallback(
                (request, status, message) -> answer(status).body(problem(status, message)));
    }

    private static final String TYPES = "https://optledger.dev/problems/";

    /** The problem kinds, each with its type URI. */
    public enum Kind {
        INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST),
        UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED),
        FORBIDDEN("forbidden", HttpStatus.FORBIDDEN),
        NOT_FOUND("not-found", HttpStatus.NOT_FOUND),
        CONFLICT("conflict", HttpStatus.CONFLICT),
        IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT),
        IDEMPOTENCY_KEY_IN_FLIGHT("idempotency-key-in-flight", HttpStatus.CONFLICT),
        REQUEST_TIMEOUT("request-timeout", HttpStatus.REQUEST_TIMEOUT),
        CONTENT_TOO_LARGE("content-too-large", HttpStatus.CONTENT_TOO_LARGE),
        PROOF_TOO_LARGE("proof-too-large", HttpStatus.UNPROCESSABLE_CONTENT),
        OVERLOADED("overloaded", HttpStatus.SERVICE_UNAVAILABLE),
        INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR);

        private final String slug;
        private final HttpStatus status;

        Kind(String slug, HttpStatus status) {
            this.slug = slug;
            this.status = status;
        }

        public ProblemDetail problem(String detail) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
            problem.setType(URI.create(TYPES + slug));
            return problem;
        }

        public ResponseEntity<ProblemDetail> response(String detail) {
            return answer(status).body(problem(detail));
        }
    }

    /** A problem of the first kind with the status, or one typed by the status's name (as Spring's own are). */
    private static ProblemDetail problem(HttpStatusCode status, String detail) {
        for (Kind kind : Kind.values()) {
            if (kind.status.value() == status.value()) {
                return kind.problem(detail);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(typeOf(status));
        return problem;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidInput(InvalidInput e) {
        ProblemDetail problem = Kind.INVALID_REQUEST.problem(e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return answer(HttpStatus.BAD_REQUEST).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return Kind.NOT_FOUND.response(e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> conflict(Conflict e) {
        return Kind.CONFLICT.response(e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> proofTooLarge(ProofTooLarge e) {
        return Kind.PROOF_TOO_LARGE.response(e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> accessDenied(AccessDenied e) {
        if (e.authenticated()) {
            return Kind.FORBIDDEN.response(e.getMessage());
        }
        return answer(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(Kind.UNAUTHENTICATED.problem(e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownDocumentGroup(OpenApiResourceNotFoundException e) {
        return Kind.NOT_FOUND.response("no such OpenAPI group; /v3/api-docs/swagger-config lists them");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return Kind.INVALID_REQUEST.response("'" + e.getValue() + "' is not a valid value for '" + e.getName() + "'");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> undecodableParameter(InvalidParameterException e) {
        return Kind.INVALID_REQUEST.response("a query parameter is not validly percent-encoded");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> writeUnavailable(WriteUnavailable e) {
        log.warn("Write not carried out: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(Kind.OVERLOADED.problem(e.getMessage()));
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> overloaded(Exception e) {
        log.warn("Database unavailable or saturated: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(Kind.OVERLOADED.problem("the service is overloaded; retry shortly"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (RequestErrors.isOverload(e)) {
            return overloaded(e);
        }
        log.error("Unexpected error", e);
        return Kind.INTERNAL.response("an unexpected error occurred; it has been logged");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return answer(HttpStatus.BAD_REQUEST).body(Kind.INVALID_REQUEST.problem(RequestErrors.unreadable(e)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = Kind.INVALID_REQUEST.problem("the request has invalid fields");
        problem.setProperty(
                "errors",
                e.getBindingResult().getFieldErrors().stream()
                        .map(error -> Map.of(
                                "field", error.getField(),
                                "message", String.valueOf(error.getDefaultMessage())))
                        .toList());
        return answer(HttpStatus.BAD_REQUEST).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return answer(HttpStatus.BAD_REQUEST).body(Kind.INVALID_REQUEST.problem("invalid request parameters"));
    }

    /** Spring's own errors in the shape of the dialect that owns the path, if one does; otherwise as problems. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        if (servlet != null) {
            var shape = errorShapes.of(servlet);
            if (shape.isPresent()) {
                return ErrorShapes.withHeaders(
                        shape.get().render(servlet, status, RequestErrors.describe(e, status)), headers);
            }
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    /** A problem answer: problem+json whatever the Accept header says, so that even a 406 is readable. */
    private static ResponseEntity.BodyBuilder answer(HttpStatusCode status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static URI typeOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return URI.create(
                TYPES + (known == null ? "error" : known.name().toLowerCase().replace('_', '-')));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Spring's own problems (405, 406, 415, missing parameters) get a type URI like ours
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            problem.setType(typeOf(status));
        }
        if (body instanceof ProblemDetail) {
            // as answer() does for ours
            HttpHeaders problemHeaders = new HttpHeaders();
            problemHeaders.putAll(headers);
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return super.createResponseEntity(body, problemHeaders, status, request);
        }
        return super.createResponseEntity(body, headers, status, request);
    }
}
