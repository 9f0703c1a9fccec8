package io.optledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Golden files under {@code src/test/resources}: seed requests byte for byte, and the responses they must produce. */
public final class Golden {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Golden() {}

    /** A resource's text, exactly. */
    public static String text(String resource) {
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts a response body is the golden one: the same fields, values and field order, whatever the whitespace.
     * {@code {{name}}} in the golden file stands for the value given for it (ids the test cannot know in advance).
     */
    public static void assertBody(ApiClient.Response response, String resource, Map<String, String> values) {
        String expected = text(resource);
        for (Map.Entry<String, String> value : values.entrySet()) {
            expected = expected.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(JSON.writeValueAsString(JSON.readTree(response.text())))
                .as("body of %s", resource)
                .isEqualTo(JSON.writeValueAsString(JSON.readTree(expected)));
    }

    /**
     * Asserts an XML body is the golden one element for element and in order, whatever the whitespace between
     * elements, the XML declaration, or an empty element's spelling; {@code {{name}}} as in {@link #assertBody}.
     */
    public static void assertXml(ApiClient.Response response, String resource, Map<String, String> values) {
        String expected = text(resource);
        for (Map.Entry<String, String> value : values.entrySet()) {
            expected = expected.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        assertThat(response.header("Content-Type"))
                .as("content type of %s", resource)
                .startsWith("application/xml");
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(canonicalXml(response.text())).as("body of %s", resource).isEqualTo(canonicalXml(expected));
    }

    private static String canonicalXml(String xml) {
        return xml.replaceFirst("^\\s*<\\?xml[^>]*\\?>", "")
                .replaceAll(">\\s+<", "><")
                .replaceAll("<([A-Za-z_][\\w.-]*)></\\1>", "<$1/>")
                .strip();
    }
}
