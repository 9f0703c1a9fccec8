package io.optledger.dialect;

import com.ctc.wstx.api.WstxInputProperties;
import io.optledger.platform.InputLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;

/**
 * The one XML reader (and writer) of the dialects that speak XML: a document is read as the tree of its root element's
 * children, as Jackson reads JSON. It refuses any DTD and never resolves an entity, so a request cannot make the
 * service read a file or call a URL, and stops at fixed depth, element and text limits.
 */
public final class DialectXml {

    /** Elements within each other: the vendors' fields nest two or three deep. */
    public static final int MAX_DEPTH = 32;
    /** Elements in one document. */
    public static final int MAX_ELEMENTS = 10_000;

    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE", Pattern.CASE_INSENSITIVE);
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    /** Why a body is not acceptable XML, in a sentence for the vendor's error. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final XmlMapper xml;

    /** A reader whose texts, numbers and nesting stay within {@code constraints} (the dialect's body limit). */
    public DialectXml(StreamReadConstraints constraints) {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        // Woodstox's own limits, checked as it reads: a deep or wide document stops at the limit
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_COUNT, (long) MAX_ELEMENTS);
        input.setProperty(WstxInputProperties.P_MAX_CHILDREN_PER_ELEMENT, MAX_ELEMENTS);
        input.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, InputLimits.MAX_STRING);
        input.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        this.xml = XmlMapper.builder(XmlFactory.builder()
                        .xmlInputFactory(input)
                        .streamReadConstraints(constraints)
                        .build())
                .build();
    }

    /** True for an XML media type: {@code application/xml}, {@code text/xml} or any {@code +xml}. */
    public static boolean isXml(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("xml");
    }

    /**
     * The root element's children as a tree: every value is text, a repeated element is an array, an element with
     * children an object. Never returns for a DTD, a document that is not well-formed, or one beyond the limits.
     */
    public JsonNode read(byte[] body) throws Malformed {
        if (DOCTYPE.matcher(new String(body, StandardCharsets.UTF_8)).find()) {
            throw new Malformed("XML with a DTD (DOCTYPE) is not accepted");
        }
        JsonNode tree;
        try {
            tree = xml.readTree(body);
        } catch (JacksonException e) {
            throw new Malformed("not well-formed XML, or beyond its limits (depth " + MAX_DEPTH + ", " + MAX_ELEMENTS
                    + " elements, " + InputLimits.MAX_STRING + " characters a text)");
        }
        if (holdsLongText(tree)) {
            throw new Malformed("an XML text longer than " + InputLimits.MAX_STRING + " characters");
        }
        return tree;
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

    /**
     * A JSON tree as an XML document under {@code root}: an object's fields become elements in their order, nulls are
     * left out. A list is its items repeated under the field's own name, or, where {@code itemNames} names the field,
     * one element of the field's name wrapping items of that name ({@code <warnings><warning>…}).
     */
    public static byte[] write(String root, JsonNode tree, Map<String, String> itemNames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter writer = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            writer.writeStartDocument("UTF-8", "1.0");
            element(writer, root, tree, itemNames);
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML answer could not be written", e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter writer, String name, JsonNode value, Map<String, String> itemNames)
            throws XMLStreamException {
        if (value.isNull() || value.isMissingNode()) {
            return;
        }
        if (value.isArray()) {
            String item = itemNames.get(name);
            if (item == null) {
                for (JsonNode each : value) {
                    element(writer, name, each, itemNames);
                }
                return;
            }
            writer.writeStartElement(name);
            for (JsonNode each : value) {
                element(writer, item, each, itemNames);
            }
            writer.writeEndElement();
            return;
        }
        writer.writeStartElement(name);
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                element(writer, field.getKey(), field.getValue(), itemNames);
            }
        } else {
            writer.writeCharacters(value.asString());
        }
        writer.writeEndElement();
    }
}
