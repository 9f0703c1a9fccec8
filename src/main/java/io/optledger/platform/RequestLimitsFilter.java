package io.optledger.platform;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Reads every request body before anything else looks at the request (authentication included), within the limits
 * of {@link RequestLimits}: a body declared larger than its endpoint takes is refused unread (413), one that grows
 * past it while streaming is refused at the limit (413), one that takes longer than the deadline is cut off (408),
 * and one that does not fit in the memory budget for bodies in flight waits briefly, then is refused (503). Each in
 * the error shape of the API the path belongs to. The endpoint then reads the body from memory; a streamed endpoint
 * (an import) reads it as it arrives, and a body that grows past its limit fails the read with {@link BodyTooLarge}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestLimitsFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestLimitsFilter.class);
    private static final int KIB = 1024;
    private static final String REFUSAL = RequestLimitsFilter.class.getName() + ".refusal";

    private final RequestLimits limits;
    private final ErrorShapes shapes;
    private final ObjectProvider<RequestMappingHandlerAdapter> mvc;
    private final Semaphore memory;
    private final int memoryKib;

    RequestLimitsFilter(RequestLimits limits, ErrorShapes shapes, ObjectProvider<RequestMappingHandlerAdapter> mvc) {
        this.limits = limits;
        this.shapes = shapes;
        this.mvc = mvc;
        this.memoryKib = (int) Math.min(Integer.MAX_VALUE, limits.bodyMemory().toKilobytes());
        this.memory = new Semaphore(memoryKib, true);
    }

    /**
     * Why reading a body stopped short. When the container saw it first (a read that timed out, broken chunked
     * encoding, a client gone) it has already begun its own error answer, which only its error dispatch can replace.
     */
    private static final class Refused extends Exception {
        private final HttpStatus status;
        private final boolean seenByContainer;

        Refused(HttpStatus status, String message, boolean seenByContainer) {
            super(message, null, false, false);
            this.status = status;
            this.seenByContainer = seenByContainer;
        }
    }

    /** A refusal the container's error dispatch answers, for the request as it was sent (not the error page's). */
    private record Refusal(HttpServletRequest sent, Refused refused) {}

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            if (request.getAttribute(REFUSAL) instanceof Refusal refusal) {
                refuse(
                        refusal.sent(),
                        response,
                        refusal.refused().status,
                        refusal.refused().getMessage());
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared == 0 || (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null)) {
            chain.doFilter(request, response);
            return;
        }
        long limit = limits.bodyLimit(request);
        if (declared > limit) {
            refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, tooLarge(limit));
            return;
        }
        if (limits.streamed(request)) {
            // read by the endpoint as it goes, never held: counted against the limit on the way
            chain.doFilter(new StreamedRequest(request, limit), response);
            return;
        }
        int reserved = kib(declared > 0 ? declared : limit);
        if (!reserve(reserved)) {
            log.warn("Request bodies in flight fill optledger.limits.body-memory; refusing one");
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "the service is overloaded; retry shortly");
            return;
        }
        try {
            byte[] body;
            try {
                body = read(
                        request.getInputStream(),
                        declared,
                        limit,
                        System.nanoTime() + limits.bodyDeadline().toNanos());
            } catch (Refused e) {
                if (e.seenByContainer) {
                    request.setAttribute(REFUSAL, new Refusal(request, e));
                } else {
                    refuse(request, response, e.status, e.getMessage());
                }
                return;
            }
            // keep only what the body holds
            int held = kib(body.length);
            memory.release(reserved - held);
            reserved = held;
            chain.doFilter(new BufferedRequest(request, body), response);
        } finally {
            memory.release(reserved);
        }
    }

    /** The body: of its declared length read into one array, else (chunked) collected up to the limit. */
    private byte[] read(InputStream in, long declared, long limit, long deadline) throws IOException, Refused {
        try {
            if (declared > 0) {
                byte[] body = new byte[(int) declared];
                int length = 0;
                for (int read; length < body.length && (read = in.read(body, length, body.length - length)) != -1; ) {
                    length += read;
                    checkDeadline(deadline);
                }
                return length == body.length ? body : Arrays.copyOf(body, length);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(8 * KIB);
            byte[] buffer = new byte[8 * KIB];
            for (int read; (read = in.read(buffer)) != -1; ) {
                if (body.size() + (long) read > limit) {
                    throw new Refused(HttpStatus.CONTENT_TOO_LARGE, tooLarge(limit), false);
                }
                body.write(buffer, 0, read);
                checkDeadline(deadline);
            }
            return body.toByteArray();
        } catch (IOException e) {
            // the container reports a read that timed out as the client's abort, caused by the timeout
            if (e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException) {
                throw tooSlow(true);
            }
            throw new Refused(HttpStatus.BAD_REQUEST, "the body could not be read: its encoding is broken", true);
        }
    }

    private void checkDeadline(long deadline) throws Refused {
        if (System.nanoTime() - deadline > 0) {
            throw tooSlow(false);
        }
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    private Refused tooSlow(boolean seenByContainer) {
        return new Refused(
                HttpStatus.REQUEST_TIMEOUT,
                "the body was not sent within " + limits.bodyDeadline().toSeconds() + " s",
                seenByContainer);
    }

    static String tooLarge(long limit) {
        return "the body is larger than the " + limit + " bytes this endpoint takes";
    }

    private boolean reserve(int kib) {
        try {
            return memory.tryAcquire(kib, limits.bodyMemoryWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whole kibibytes, at least one, at most the whole budget (a limit above the budget still gets in alone). */
    private int kib(long bytes) {
        return (int) Math.clamp((bytes + KIB - 1) / KIB, 1, memoryKib);
    }

    /**
     * Writes the error as the endpoint's own error handling would, with Spring MVC's converters, whole and with its
     * length: the client has its answer at once, even while the container drains or drops the rest of the body.
     */
    @SuppressWarnings("unchecked")
    private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String message)
            throws IOException {
        ResponseEntity<Object> error = shapes.render(request, status, message);
        Object body = error.getBody();
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(error.getHeaders());
        byte[] bytes = new byte[0];
        if (body instanceof byte[] raw) {
            bytes = raw;
        } else if (body != null) {
            MediaType type = headers.getContentType() != null
                    ? headers.getContentType()
                    : body instanceof ProblemDetail ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            HttpOutputMessage output = new HttpOutputMessage() {
                @Override
                public OutputStream getBody() {
                    return written;
                }

                @Override
                public HttpHeaders getHeaders() {
                    return headers;
                }
            };
            for (HttpMessageConverter<?> converter : mvc.getObject().getMessageConverters()) {
                if (converter.canWrite(body.getClass(), type)) {
                    ((HttpMessageConverter<Object>) converter).write(body, type, output);
                    break;
                }
            }
            bytes = written.toByteArray();
        }
        response.setStatus(error.getStatusCode().value());
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }
}
