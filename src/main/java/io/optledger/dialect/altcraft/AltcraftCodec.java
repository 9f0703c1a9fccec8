package io.optledger.dialect.altcraft;

import io.optledger.platform.InputText;
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

    private final JsonMapper json = JsonMapper.builder().build();
    private final XmlMapper xml;

    AltcraftCodec() {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        this.xml = XmlMapper.builder(XmlFactory.builder().xmlInputFactory(input).build())
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
            } else {
                tree = json.readTree(body);
            }
            if (!(tree instanceof ObjectNode fields)) {
                throw AltcraftError.MALFORMED_BODY.failure("the body must be an object of fields");
            }
            InputText.checkAll("", fields);
            return fields;
        } catch (JacksonException e) {
            throw AltcraftError.MALFORMED_BODY.failure(format == Format.XML ? "not well-formed XML" : "not valid JSON");
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
