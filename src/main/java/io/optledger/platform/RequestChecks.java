package io.optledger.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Decides, before any handler runs and so before any transaction, what Spring would otherwise find out only while
 * reading or writing: whether the answer can be written in a type the caller accepts (406), whether the body's type
 * can be read (415), and whether the query and path are text (400). A write is never committed and then denied.
 * Errors are thrown for the handler's own error advice, so each API answers in its own shape.
 */
class RequestChecks implements HandlerInterceptor {

    /** What a handler answers unless its mapping declares {@code produces}: JSON, as Jackson writes it. */
    private static final List<MediaType> JSON = List.of(
            MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON, new MediaType("application", "*+json"));

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        checkContentType(request);
        checkAccept(request);
        checkParameters(request);
        return true;
    }

    private static void checkAccept(HttpServletRequest request) throws HttpMediaTypeNotAcceptableException {
        List<String> values = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(values);
        } catch (InvalidMediaTypeException e) {
            throw notAcceptable("the Accept header is not a valid list of media types");
        }
        // a mapping with `produces` was matched against Accept by Spring already
        if (request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE) != null || accepted.isEmpty()) {
            return;
        }
        boolean acceptsJson = accepted.stream()
                .filter(type -> type.getQualityValue() > 0)
                .anyMatch(type -> JSON.stream().anyMatch(type::isCompatibleWith));
        if (!acceptsJson) {
            throw notAcceptable("this endpoint answers application/json; the Accept header allows none of it");
        }
    }

    private static HttpMediaTypeNotAcceptableException notAcceptable(String detail) {
        HttpMediaTypeNotAcceptableException e =
                new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
        e.getBody().setDetail(detail);
        return e;
    }

    private static void checkContentType(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (header == null) {
            return;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            // parsing also refuses a charset the JVM does not know
            throw unsupported("the Content-Type header is not a valid media type with a known charset");
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            throw unsupported("the Content-Type must name one media type, not '" + type + "'");
        }
    }

    private static HttpMediaTypeNotSupportedException unsupported(String detail) {
        HttpMediaTypeNotSupportedException e = new HttpMediaTypeNotSupportedException(detail);
        e.getBody().setDetail(detail);
        return e;
    }

    /** Every query or form parameter and path variable: decodable, named, and text. */
    private static void checkParameters(HttpServletRequest request) {
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (IllegalStateException e) {
            // Tomcat's InvalidParameterException: a malformed %-escape, an undecodable byte, too many parameters
            throw new InvalidInput("query", "the query string or form is not validly percent-encoded UTF-8");
        }
        parameters.forEach((name, values) -> {
            if (name.isEmpty()) {
                throw new InvalidInput("query", "a parameter has no name");
            }
            InputText.check("query", name);
            for (String value : values) {
                InputText.check(name, value);
            }
        });
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> InputText.check(String.valueOf(name), String.valueOf(value)));
        }
    }
}
