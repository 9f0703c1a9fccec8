package io.optledger.dialect.capillary;

import io.optledger.dialect.DialectXml;
import jakarta.servlet.http.HttpServletRequest;
import java.util.AbstractMap.SimpleEntry;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Capillary's request conventions: the {@code format} parameter (json or xml, in any case), and customers named by
 * one identifier.
 */
final class CapillaryFormat {

    /** A body's or an answer's format. */
    enum Format {
        JSON,
        XML
    }

    static final String JSON = "json";
    static final String PARAMETER = "format";
    private static final String V11_PATH = "/capillary/v1.1/";

    /** Subscriptions per request, in v1.1 and v2; more is refused whole with code 1060. */
    static final int MAX_ITEMS = 100;

    private CapillaryFormat() {}

    /** The subscription APIs speak JSON and XML: any other {@code format} is refused. */
    static void requireKnown(String format) {
        if (parse(format) == null) {
            throw CapillaryFailure.badRequest("format '" + format + "' is not supported; use format=json or xml");
        }
    }

    /** The customer APIs answer JSON only, and say so rather than answer in another format. */
    static void requireJson(String format) {
        if (parse(format) != Format.JSON) {
            throw CapillaryFailure.badRequest("format '" + format + "' is not supported here; use format=json");
        }
    }

    /** The {@code format} parameter's value (the name too in any case), when it is json or xml. */
    static @Nullable Format asked(HttpServletRequest request) {
        String value = request.getParameter(PARAMETER);
        if (value == null) {
            for (String name : Collections.list(request.getParameterNames())) {
                if (name.equalsIgnoreCase(PARAMETER)) {
                    value = request.getParameter(name);
                    break;
                }
            }
        }
        return value == null ? null : parse(value);
    }

    /**
     * The format an answer (errors included) is written in: the {@code format} asked for; else XML where the
     * {@code Accept} header prefers it to JSON; else the request body's own format; else JSON. Read without the body,
     * so a refusal before the controller (a 413, an unknown path) answers in it too.
     */
    static Format answer(HttpServletRequest request) {
        Format asked;
        try {
            asked = asked(request);
        } catch (RuntimeException e) {
            // an undecodable query: its 400 is answered in JSON
            return Format.JSON;
        }
        if (asked != null) {
            return asked;
        }
        Format accepted = preferred(Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        if (accepted != null) {
            return accepted;
        }
        return DialectXml.isXml(request.getContentType()) ? Format.XML : Format.JSON;
    }

    static boolean isV11(@Nullable HttpServletRequest request) {
        return request != null && request.getRequestURI().startsWith(V11_PATH);
    }

    /** JSON or XML, whichever of the two the Accept header names first by preference; null if neither. */
    private static @Nullable Format preferred(List<String> accept) {
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return null;
        }
        // by quality, ties in the header's order
        List<MediaType> byQuality = types.stream()
                .sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed())
                .toList();
        for (MediaType type : byQuality) {
            if (type.getQualityValue() == 0 || type.isWildcardType() || type.isWildcardSubtype()) {
                continue;
            }
            if (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json")) {
                return Format.JSON;
            }
            if (type.getSubtype().equals("xml") || type.getSubtype().endsWith("+xml")) {
                return Format.XML;
            }
        }
        return null;
    }

    private static @Nullable Format parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case JSON -> Format.JSON;
            case "xml" -> Format.XML;
            default -> null;
        };
    }

    static void requireWithinBatchLimit(int items) {
        if (items > MAX_ITEMS) {
            throw new CapillaryFailure(
                    HttpStatus.BAD_REQUEST,
                    CapillaryCode.BATCH_LIMIT_EXCEEDED.code(),
                    CapillaryCode.BATCH_LIMIT_EXCEEDED.message(
                            "at most " + MAX_ITEMS + " subscriptions per request, not " + items));
        }
    }

    /** The one identifier given among v1.1's mobile, email, external_id and id, as (type, value); empty unless one. */
    static Optional<Map.Entry<String, String>> one(
            @Nullable String mobile, @Nullable String email, @Nullable String externalId, @Nullable String id) {
        Map.Entry<String, String> named = null;
        int given = 0;
        for (var candidate :
                new String[][] {{"mobile", mobile}, {"email", email}, {"external_id", externalId}, {"id", id}}) {
            if (candidate[1] != null) {
                named = new SimpleEntry<>(candidate[0], candidate[1]);
                given++;
            }
        }
        return given == 1 ? Optional.of(named) : Optional.empty();
    }
}
