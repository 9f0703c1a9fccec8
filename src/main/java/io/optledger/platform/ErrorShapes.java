package io.optledger.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The error shape of each URL prefix a dialect owns. Errors raised before any handler is chosen (a wrong method, an
 * unknown path) reach only the global error handling; it asks here, so a Capillary client gets Capillary's shape even
 * for a 405.
 */
@Component
public class ErrorShapes {

    /** Renders an error of a status with a message, in one API's shape. */
    @FunctionalInterface
    public interface Shape {
        ResponseEntity<Object> render(HttpServletRequest request, HttpStatusCode status, String message);
    }

    private final Map<String, Shape> byPrefix = new ConcurrentHashMap<>();
    private volatile @Nullable Shape fallback;

    /** Registers the shape of every path under {@code prefix} (such as {@code /capillary/}). */
    public void register(String prefix, Shape shape) {
        byPrefix.put(prefix, shape);
    }

    /** Registers the shape of every path no dialect owns: the native API's. */
    public void registerFallback(Shape shape) {
        this.fallback = shape;
    }

    /** The shape of a request's path: its dialect's, or the native API's when it has registered one. */
    public Optional<Shape> ofAny(HttpServletRequest request) {
        return of(request).or(() -> Optional.ofNullable(fallback));
    }

    /**
     * An error in the shape of the API a request is for, for code that runs before Spring MVC chooses a handler (a
     * servlet filter).
     */
    public ResponseEntity<Object> render(HttpServletRequest request, HttpStatusCode status, String message) {
        return ofAny(request)
                .map(shape -> shape.render(request, status, message))
                .orElseGet(() -> ResponseEntity.status(status).body(message));
    }

    /** The shape of a request's path, if a dialect owns it. */
    public Optional<Shape> of(HttpServletRequest request) {
        String path = request.getRequestURI();
        return byPrefix.entrySet().stream()
                .filter(entry -> path.startsWith(entry.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** A rendered error with the headers Spring chose for it (Allow on a 405, say). */
    public static ResponseEntity<Object> withHeaders(ResponseEntity<Object> rendered, HttpHeaders headers) {
        HttpHeaders all = new HttpHeaders();
        all.putAll(headers);
        all.putAll(rendered.getHeaders());
        return ResponseEntity.status(rendered.getStatusCode()).headers(all).body(rendered.getBody());
    }
}
