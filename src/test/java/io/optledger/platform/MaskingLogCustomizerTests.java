package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.json.JsonWriter;
import org.springframework.core.io.ClassPathResource;

class MaskingLogCustomizerTests {

    @Test
    void masksEmailsAndPhonesButLeavesTheRest() {
        assertThat(MaskingLogCustomizer.mask(
                        "opted out ada.lovelace@example.co.uk via +447700900123 (contact 12345678)"))
                .isEqualTo("opted out a***@example.co.uk via +***23 (contact 12345678)");
        assertThat(MaskingLogCustomizer.mask("nothing personal")).isEqualTo("nothing personal");
    }

    @Test
    void masksEveryStringOfAStructuredLine() {
        JsonWriter<Object> writer = JsonWriter.of(members -> {
            members.add("message", event -> ((Map<?, ?>) event).get("message"));
            members.add("error", event -> ((Map<?, ?>) event).get("error"));
            new MaskingLogCustomizer().customize(members);
        });
        String line = writer.writeToString(Map.of("message", "hello grace@example.com", "error", "no +14155552671"));
        assertThat(line)
                .isEqualTo("{\"message\":\"hello g***@example.com\",\"error\":\"no +***71\"}")
                .doesNotContain("grace@")
                .doesNotContain("4155552671");
    }

    @Test
    void theStructuredLogFormatUsesIt() throws IOException {
        var yaml = new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yml"))
                .getFirst();
        assertThat(yaml.getProperty("logging.structured.format.console")).hasToString("ecs");
        assertThat(yaml.getProperty("logging.structured.json.customizer"))
                .hasToString(MaskingLogCustomizer.class.getName());
    }
}
