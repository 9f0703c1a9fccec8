package io.optledger.dialect.altcraft;

import io.optledger.dialect.DialectXml;
import io.optledger.platform.InputLimits;
import io.optledger.platform.InputText;
import io.optledger.platform.RequestLimits;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.xml.XmlMapper;

/**
 * Altcraft's wire formats: requests in JSON or XML (an {@code <xml>} element whose children are the fields), answers
 * in the requested {@code format} as {@code {data, error, error_text}}. XML is read by the dialects' one reader,
 * {@link DialectXml}: no DTD, no entity resolved.
 */
@Component
class AltcraftCodec {

    /** A request or response format. */
    enum Format {
        JSON,
        XML;

        static Format of(@Nullable String name) {
            if (name == null || name.isBlank() || name.strip().equalsIgnoreCase("json")) {
                return JSON;
            }
            if (name.strip().equalsIgnoreCase("xml")) {
                return XML;
            }
            throw AltcraftError.INVALID_FIELD.failure("format '" + name + "' (expected json or xml)");
        }
    }

    static final String ROOT = "xml";

    private final JsonMapper json;
    private final DialectXml reader;
    private final XmlMapper xml = XmlMapper.builder().build();

    AltcraftCodec(RequestLimits limits) {
        StreamReadConstraints constraints =
                InputLimits.constraints(limits.body().altcraft().toBytes());
        this.json = JsonMapper.builder(
                        JsonFactory.builder().streamReadConstraints(constraints).build())
                .build();
        this.reader = new DialectXml(constraints);
    }

    /**
     * The format a body is in: as its Content-Type says (XML or JSON); without one that says, XML when
     * {@code format=xml} is asked, else JSON. {@code format} names the answer's format: a JSON body may ask for XML.
     */
    static Format bodyFormat(@Nullable String contentType, @Nullable String formatParameter) {
        if (DialectXml.isXml(contentType)) {
            return Format.XML;
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return Format.JSON;
        }
        return formatParameter != null && formatParameter.strip().equalsIgnoreCase("xml") ? Format.XML : Format.JSON;
    }

    /** The request's fields; an empty body has none. */
    ObjectNode read(byte[] body, Format format) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode tree;
            if (format == Format.XML) {
                tree = reader.read(body);
            } else {
                tree = json.readTree(body);
            }
            if (!(tree instanceof ObjectNode fields)) {
                throw AltcraftError.MALFORMED_BODY.failure("the body must be an object of fields");
            }
            InputText.checkAll("", fields);
            return fields;
        } catch (DialectXml.Malformed e) {
            throw AltcraftError.MALFORMED_BODY.failure(e.getMessage());
        } catch (JacksonException e) {
            throw AltcraftError.MALFORMED_BODY.failure("not valid JSON, or beyond its limits (depth "
                    + InputLimits.MAX_DEPTH + ", " + InputLimits.MAX_STRING + " characters a string)");
        }
    }

    ResponseEntity<byte[]> success(Format format, @Nullable Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (data != null) {
            body.put("data", data);
        }
        body.put("error", 0);
        body.put("error_text", AltcraftError.SUCCESS_TEXT);
        return write(HttpStatus.OK, format, body);
    }

    /** A success whose fields stand beside {@code error} rather than in {@code data} (profiles/message_unsub's). */
    ResponseEntity<byte[]> successBeside(Format format, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", 0);
        body.put("error_text", AltcraftError.SUCCESS_TEXT);
        body.putAll(fields);
        return write(HttpStatus.OK, format, body);
    }

    ResponseEntity<byte[]> error(Format format, AltcraftError error, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_text", text);
        return write(error.status(), format, body);
    }

    private ResponseEntity<byte[]> write(HttpStatus status, Format format, Map<String, Object> body) {
        return format == Format.XML
                ? ResponseEntity.status(status)
                        .contentType(MediaType.APPLICATION_XML)
                        .body(xml.writer().withRootName(ROOT).writeValueAsBytes(body))
                : ResponseEntity.status(status)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(json.writeValueAsBytes(body));
    }
}
