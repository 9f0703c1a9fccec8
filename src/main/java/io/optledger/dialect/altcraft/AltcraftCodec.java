package io.optledger.dialect.altcraft;

import com.ctc.wstx.api.WstxInputProperties;
import io.optledger.platform.InputLimits;
import io.optledger.platform.InputText;
import io.optledger.platform.RequestLimits;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
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
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;

/**
 * Altcraft's wire formats: requests in JSON or XML (an {@code <xml>} element whose children are the fields), answers
 * in the requested {@code format} as {@code {data, error, error_text}}. The XML reader refuses DTDs and never resolves
 * an entity, so a request cannot make the service read a file or call a URL.
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
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE", Pattern.CASE_INSENSITIVE);

    /** Elements within each other: Altcraft's fields nest two or three deep. */
    static final int MAX_XML_DEPTH = 32;
    /** Elements in one document. */
    static final int MAX_XML_ELEMENTS = 10_000;

    private final JsonMapper json;
    private final XmlMapper xml;

    AltcraftCodec(RequestLimits limits) {
        StreamReadConstraints constraints =
                InputLimits.constraints(limits.body().altcraft().toBytes());
        this.json = JsonMapper.builder(
                        JsonFactory.builder().streamReadConstraints(constraints).build())
                .build();
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        // Woodstox's own limits, checked as it reads: a deep or wide document stops at the limit
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_XML_DEPTH);
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_COUNT, (long) MAX_XML_ELEMENTS);
        input.setProperty(WstxInputProperties.P_MAX_CHILDREN_PER_ELEMENT, MAX_XML_ELEMENTS);
        input.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, InputLimits.MAX_STRING);
        input.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        this.xml = XmlMapper.builder(XmlFactory.builder()
                        .xmlInputFactory(input)
                        .streamReadConstraints(constraints)
                        .build())
                .build();
    }

    /** The format a body is in: XML when its content type says so or {@code format=xml} is asked, else JSON. */
    static Format bodyFormat(@Nullable String contentType, @Nullable String formatParameter) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("xml")) {
            return Format.XML;
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
                if (DOCTYPE.matcher(new String(body, StandardCharsets.UTF_8)).find()) {
                    throw AltcraftError.MALFORMED_BODY.failure("XML with a DTD (DOCTYPE) is not accepted");
                }
                tree = xml.readTree(body);
                if (holdsLongText(tree)) {
                    throw AltcraftError.MALFORMED_BODY.failure(
                            "an XML text longer than " + InputLimits.MAX_STRING + " characters");
                }
            } else {
                tree = json.readTree(body);
            }
            if (!(tree instanceof ObjectNode fields)) {
                throw AltcraftError.MALFORMED_BODY.failure("the body must be an object of fields");
            }
            InputText.checkAll("", fields);
            return fields;
        } catch (JacksonException e) {
            throw AltcraftError.MALFORMED_BODY.failure(
                    format == Format.XML
                            ? "not well-formed XML, or beyond its limits (depth " + MAX_XML_DEPTH + ", "
                                    + MAX_XML_ELEMENTS + " elements, " + InputLimits.MAX_STRING + " characters a text)"
                            : "not valid JSON, or beyond its limits (depth " + InputLimits.MAX_DEPTH + ", "
                                    + InputLimits.MAX_STRING + " characters a string)");
        }
    }

    /** Woodstox's text length limit does not reach the texts Jackson asks it for: checked on the tree instead. */
    private static boolean holdsLongText(JsonNode node) {
        if (node.isString()) {
            return node.asString().length() > InputLimits.MAX_STRING;
        }
        for (JsonNode child : node) {
            if (holdsLongText(child)) {
                return true;
            }
        }
        return false;
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
