package io.optledger.dialect.capillary;

import io.optledger.dialect.DialectXml;
import io.optledger.platform.InputLimits;
import io.optledger.platform.InputText;
import io.optledger.platform.RequestLimits;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Capillary's two wire formats for the subscription APIs: JSON, and XML as Capillary's {@code format=xml} speaks it
 * (v1.1 {@code <root><subscription>…</subscription></root>} in, {@code <response>…</response>} out). JSON is read by
 * the application's own mapper (unknown fields refused), XML by the dialects' one secure reader and then as JSON's
 * tree, so both forms meet the same strict records.
 */
@Component
class CapillaryCodec {

    /** The element a v1.1 answer is wrapped in, and that every XML answer is written under. */
    static final String ANSWER_ROOT = "response";

    /** v2's lists, written wrapped: {@code <subscriptions><subscription>…</subscription></subscriptions>}. */
    private static final Map<String, String> V2_ITEMS = Map.of(
            "subscriptions", "subscription",
            "warnings", "warning",
            "errors", "error",
            "data", "entry");

    private final JsonMapper json;
    private final DialectXml xml;

    CapillaryCodec(JsonMapper json, RequestLimits limits) {
        this.json = json;
        this.xml =
                new DialectXml(InputLimits.constraints(limits.body().capillary().toBytes()));
    }

    /**
     * A subscription request body as {@code type}: XML when the Content-Type says so, or when none is given and
     * {@code format=xml} is asked; JSON otherwise. Another Content-Type is refused (415).
     */
    /**
     * The body read as given by hand (JSON or XML), so the text check every other body gets from {@code TextBodyCheck}
     * is made here: a NUL or an unpaired surrogate is a 400 naming the field, never a 500 from the database.
     */
    private static <T> T checked(T read) {
        InputText.checkAll("", read);
        return read;
    }

    <T> T read(HttpServletRequest http, byte[] body, Class<T> type, boolean v11)
            throws HttpMediaTypeNotSupportedException {
        String contentType = http.getContentType();
        boolean isXml = contentType == null
                ? CapillaryFormat.asked(http) == CapillaryFormat.Format.XML
                : DialectXml.isXml(contentType);
        if (!isXml && contentType != null && !isJson(contentType)) {
            throw new HttpMediaTypeNotSupportedException(
                    "the body is application/json or application/xml, not '" + contentType + "'");
        }
        ServletServerHttpRequest input = new ServletServerHttpRequest(http);
        try {
            if (!isXml) {
                T read = json.readValue(body, type);
                if (read == null) {
                    throw CapillaryFailure.badRequest("the body must be a JSON object, not null");
                }
                return checked(read);
            }
            JsonNode tree = body.length == 0 ? JsonNodeFactory.instance.objectNode() : xml.read(body);
            if (!(tree instanceof ObjectNode fields)) {
                throw CapillaryFailure.badRequest("the XML body's root element must hold the request's fields");
            }
            return checked(json.treeToValue(v11 ? v11Request(fields) : v2Request(fields), type));
        } catch (DialectXml.Malformed e) {
            throw CapillaryFailure.badRequest(e.getMessage());
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException(e.getOriginalMessage(), e, input);
        }
    }

    /** {@code <root><subscription>…</subscription>…</root>}: the root element is v1.1's {@code root}. */
    private static JsonNode v11Request(ObjectNode fields) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.set("root", fields);
        return request;
    }

    /** v2's list, as repeated {@code <subscriptions>} or wrapped {@code <subscriptions><subscription>}. */
    private static JsonNode v2Request(ObjectNode fields) {
        JsonNode list = fields.get("subscriptions");
        if (list instanceof ObjectNode wrapper && wrapper.size() == 1 && wrapper.has("subscription")) {
            list = wrapper.get("subscription");
        }
        if (list instanceof ObjectNode single) {
            ArrayNode one = JsonNodeFactory.instance.arrayNode();
            one.add(single);
            list = one;
        }
        if (list != null) {
            fields.set("subscriptions", list);
        }
        return fields;
    }

    /** An answer in the format the request asks for ({@link CapillaryFormat#answer}). */
    ResponseEntity<byte[]> answer(HttpServletRequest http, HttpStatusCode status, Object body) {
        return write(CapillaryFormat.answer(http), status, body, CapillaryFormat.isV11(http));
    }

    /** Writes a body in a format: v1.1's {@code {"response": …}} is its own XML root, v2's bodies go under one. */
    ResponseEntity<byte[]> write(CapillaryFormat.Format format, HttpStatusCode status, Object body, boolean v11) {
        if (format == CapillaryFormat.Format.JSON) {
            return ResponseEntity.status(status)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(json.writeValueAsBytes(body));
        }
        JsonNode tree = json.valueToTree(body);
        byte[] xml = v11 && tree.has(ANSWER_ROOT) && tree.size() == 1
                ? DialectXml.write(ANSWER_ROOT, tree.get(ANSWER_ROOT), Map.of())
                : DialectXml.write(ANSWER_ROOT, tree, V2_ITEMS);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_XML)
                .body(xml);
    }

    private static boolean isJson(@Nullable String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type)
                    || type.getSubtype().endsWith("+json");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
