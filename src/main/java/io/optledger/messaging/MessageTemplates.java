package io.optledger.messaging;

import io.optledger.messaging.MessageTemplate.Part;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.web.util.HtmlUtils;

/**
 * The texts of a workspace's messages: built in for en-US and fr-CA, each part overridable per workspace and locale.
 * {@code {name}} placeholders are filled from the values given; unknown ones become empty. In an email's HTML the
 * values are HTML-escaped: the template is the workspace's own markup, what fills it is not.
 */
@Service
public class MessageTemplates {

    private static final String NAMESPACE = "messaging.templates";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
    private static final Map<Part, Integer> MAX = Map.of(Part.TEXT, 10_000, Part.SUBJECT, 200, Part.HTML, 100_000);
    private static final int MAX_SMS = 1_600;
    private static final List<String> LOCALES = List.of(MessageTemplate.EN_US, MessageTemplate.FR_CA);
    private static final Map<Part, String> RESOURCE_SUFFIX =
            Map.of(Part.SUBJECT, "subject.txt", Part.TEXT, "txt", Part.HTML, "html");

    private final Settings settings;
    /** The built-in parts of each email template by locale, read once: a missing one fails the start. */
    private final Map<MessageTemplate, Map<String, Map<Part, String>>> emails = new EnumMap<>(MessageTemplate.class);

    MessageTemplates(Settings settings) {
        this.settings = settings;
        for (MessageTemplate template : MessageTemplate.values()) {
            if (template.isEmail()) {
                Map<String, Map<Part, String>> byLocale = new HashMap<>();
                for (String locale : LOCALES) {
                    Map<Part, String> parts = new EnumMap<>(Part.class);
                    for (Part part : template.parts()) {
                        parts.put(part, resource(template, locale, part));
                    }
                    byLocale.put(locale, parts);
                }
                emails.put(template, byLocale);
            }
        }
    }

    /** The text of a text message's template for this workspace and locale: its override, or the built-in one. */
    public String text(long workspaceId, MessageTemplate template, String locale) {
        return text(workspaceId, template, locale, Part.TEXT);
    }

    /** One part of a template for this workspace and locale: its override, or the built-in one. */
    public String text(long workspaceId, MessageTemplate template, String locale, Part part) {
        String supported = MessageTemplate.supported(locale);
        return settings.get(workspaceId, NAMESPACE, key(template, supported, part), TemplateText.class)
                .map(TemplateText::text)
                .orElseGet(() -> builtIn(template, supported, part));
    }

    /** Replaces the text of a text message's template in one locale for this workspace. */
    public void override(long workspaceId, MessageTemplate template, String locale, String text) {
        override(workspaceId, template, locale, Map.of(Part.TEXT, text));
    }

    /**
     * Replaces the given parts of a template in one locale for this workspace, all or none: each part is checked
     * (its length, a subject on one line, the placeholders the template needs) before any is stored.
     */
    public void override(long workspaceId, MessageTemplate template, String locale, Map<Part, String> parts) {
        if (parts.isEmpty()) {
            throw new InvalidInput("text", "give the text" + (template.isEmail() ? ", subject or html" : ""));
        }
        for (Map.Entry<Part, String> entry : parts.entrySet()) {
            Part part = entry.getKey();
            String text = entry.getValue();
            String field = part.name().toLowerCase(Locale.ROOT);
            if (!template.parts().contains(part)) {
                throw new InvalidInput(field, template.key() + " is a text message: it has a text only");
            }
            int max = template.isEmail() ? MAX.get(part) : MAX_SMS;
            if (text.isBlank() || text.length() > max) {
                throw new InvalidInput(field, "a template's " + field + " is 1 to " + max + " characters");
            }
            if (part == Part.SUBJECT && text.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidInput(field, "a subject is one line, without control characters");
            }
            for (String required : template.requiredPlaceholders(part)) {
                if (!text.contains("{" + required + "}")) {
                    throw new InvalidInput(
                            field, "the " + field + " of " + template.key() + " must hold {" + required + "}");
                }
            }
        }
        String supported = MessageTemplate.supported(locale);
        parts.forEach((part, text) ->
                settings.put(workspaceId, NAMESPACE, key(template, supported, part), new TemplateText(text)));
    }

    /** A text message rendered: placeholders filled, runs of spaces an empty one left collapsed. */
    public String render(long workspaceId, MessageTemplate template, String locale, Map<String, String> values) {
        String rendered = fill(text(workspaceId, template, locale), values, UnaryOperator.identity());
        // an empty placeholder leaves a double space
        return rendered.replaceAll(" {2,}", " ").strip();
    }

    /** An email rendered: the subject on one line, the values HTML-escaped in the HTML, the text left as written. */
    public RenderedEmail renderEmail(
            long workspaceId, MessageTemplate template, String locale, Map<String, String> values) {
        String subject = fill(text(workspaceId, template, locale, Part.SUBJECT), values, UnaryOperator.identity());
        return new RenderedEmail(
                oneLine(subject),
                fill(text(workspaceId, template, locale, Part.TEXT), values, UnaryOperator.identity()),
                fill(text(workspaceId, template, locale, Part.HTML), values, HtmlUtils::htmlEscape));
    }

    /** An email's three parts, rendered. */
    public record RenderedEmail(String subject, String text, String html) {}

    /** Any line break or other control character becomes a space: no value can add a header line. */
    public static String oneLine(String text) {
        return text.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString()
                .strip();
    }

    private static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = escape.apply(values.getOrDefault(matcher.group(1), ""));
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    private String builtIn(MessageTemplate template, String locale, Part part) {
        if (!template.isEmail()) {
            return template.defaultText(locale);
        }
        return emails.get(template).get(locale).get(part);
    }

    private static String resource(MessageTemplate template, String locale, Part part) {
        String path = "messaging/email/" + template.key() + "." + locale + "." + RESOURCE_SUFFIX.get(part);
        try (InputStream in = MessageTemplates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no built-in email text " + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return part == Part.SUBJECT ? oneLine(text) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text's key: {@code template:locale}, as text messages always had; {@code template:locale:part} otherwise. */
    private static String key(MessageTemplate template, String locale, Part part) {
        String key = template.key() + ":" + locale;
        return part == Part.TEXT ? key : key + ":" + part.name().toLowerCase(Locale.ROOT);
    }

    /** A stored override. */
    record TemplateText(String text) {}
}
