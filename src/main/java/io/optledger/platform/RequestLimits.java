package io.optledger.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much a request may make the service hold, and for how long: a body size per endpoint family, a deadline for
 * reading a body, and a budget for the bodies of all requests in flight (see docs/operations.md#limits-before-work-and-memory-sizing).
 *
 * @param body the largest body each family of endpoints takes; an import upload is streamed up to its own, much larger
 *     limit
 * @param bodyDeadline how long a client may take to send its whole body
 * @param bodyMemory the bodies in flight at once, summed; a request whose body does not fit waits
 *     {@code bodyMemoryWait}, then answers 503
 * @param bodyMemoryWait how long a body waits for room in {@code bodyMemory}
 * @param maxHeaderCount the most headers a request may carry
 */
@ConfigurationProperties("optledger.limits")
public record RequestLimits(
        @DefaultValue Body body,
        @DefaultValue("30s") Duration bodyDeadline,
        @DefaultValue("32MB") DataSize bodyMemory,
        @DefaultValue("2s") Duration bodyMemoryWait,
        @DefaultValue("50") int maxHeaderCount) {

    /** The largest body of each endpoint family. */
    public record Body(
            @DefaultValue("256KB") DataSize single,
            @DefaultValue("2MB") DataSize batch,
            @DefaultValue("256KB") DataSize capillary,
            @DefaultValue("256KB") DataSize altcraft,
            @DefaultValue("64KB") DataSize attentive,
            @DefaultValue("16KB") DataSize inboundSms,
            @DefaultValue("32KB") DataSize publicPage,
            @DefaultValue("10GB") DataSize imports) {

        /**
         * The largest body any endpoint reads whole: no parser need read a longer document. Imports are streamed, never
         * held, so their limit is not among these.
         */
        public long largest() {
            return Math.max(
                    Math.max(single.toBytes(), batch.toBytes()),
                    Math.max(
                            Math.max(capillary.toBytes(), altcraft.toBytes()),
                            Math.max(Math.max(attentive.toBytes(), inboundSms.toBytes()), publicPage.toBytes())));
        }
    }

    /**
     * True for the endpoints that read their body as a stream, in constant memory, rather than whole from memory: an
     * import upload ({@code POST /v1/imports}), up to {@code optledger.limits.body.imports}.
     */
    public boolean streamed(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && request.getRequestURI().equals("/v1/imports");
    }

    /**
     * The largest body the endpoint a request is for takes. Paths are matched as sent, before any normalisation: a
     * path spelled otherwise gets the smallest limit, never a larger one.
     */
    public long bodyLimit(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path.startsWith("/capillary/")) {
            return body.capillary.toBytes();
        }
        if (path.startsWith("/altcraft/")) {
            return body.altcraft.toBytes();
        }
        if (path.startsWith("/attentive/")) {
            return body.attentive.toBytes();
        }
        if (path.startsWith("/p/")
                || path.startsWith("/u/")
                || path.startsWith("/c/")
                || path.startsWith("/console/")) {
            return body.publicPage.toBytes();
        }
        if (streamed(request)) {
            return body.imports.toBytes();
        }
        if (path.equals("/v1/inbound/sms")) {
            return body.inboundSms.toBytes();
        }
        if (path.equals("/v1/subscriptions/changes")
                || path.equals("/v1/eligibility/batch")
                || path.equals("/v1/links/batch")) {
            return body.batch.toBytes();
        }
        return body.single.toBytes();
    }
}
