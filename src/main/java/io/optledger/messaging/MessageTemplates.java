package io.optledger.messaging;

import io.optledger.platform.InvalidInput;
import io.optledger.platform.Settings;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * The texts of a workspace's messages: built in for en-US and fr-CA, each overridable per workspace and locale.
 * {@code {name}} placeholders are filled from the values given; unknown ones become empty.
 */
@Service
public class MessageTemplates {

    private static final String NAMESPACE = "messaging.templates";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
    private static final int MAX_TEXT = 1_600;

    private final Settings settings;

    MessageTemplates(Settings settings) {
        this.settings = settings;
    }

    /** The text of a template for this workspace and locale: its override, or the built-in one. */
    public String text(long workspaceId, MessageTemplate template, String locale) {
        String supported = MessageTemplate.supported(locale);
        return settings.get(workspaceId, NAMESPACE, key(template, supported), TemplateText.class)
                .map(TemplateText::text)
                .orElseGet(() -> template.defaultText(supported));
    }

    /** Replaces the text of a template in one locale for this workspace. */
    public void override(long workspaceId, MessageTemplate template, String locale, String text) {
        if (text.isBlank() || text.length() > MAX_TEXT) {
            throw new InvalidInput("text", "a template is 1 to " + MAX_TEXT + " characters");
        }
        settings.put(workspaceId, NAMESPACE, key(template, MessageTemplate.supported(locale)), new TemplateText(text));
    }

    public String render(long workspaceId, MessageTemplate template, String locale, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(text(workspaceId, template, locale));
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), "")));
        }
        matcher.appendTail(rendered);
        // an empty placeholder leaves a double space
        return rendered.toString().replaceAll(" {2,}", " ").strip();
    }

    private static String key(MessageTemplate template, String locale) {
        return template.key() + ":" + locale;
    }

    /** A stored override. */
    record TemplateText(String text) {}
}
