package io.optledger.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.contact.Channel;
import io.optledger.messaging.MessageTemplate.Part;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The workspace's message texts (SMS and email), and their overrides. */
@RestController
@Tag(name = "Messages")
class MessageTemplatesController {

    private final MessageTemplates templates;

    MessageTemplatesController(MessageTemplates templates) {
        this.templates = templates;
    }

    /** A template in one locale: a text message's text, or an email's subject, plain text and HTML. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TemplateView(
            String template,
            String locale,
            Channel channel,
            String text,
            @Nullable String subject,
            @Nullable String html) {}

    record TemplateList(List<TemplateView> templates) {}

    record TemplateText(
            @Nullable String text,
            @Nullable String subject,
            @Nullable String html) {}

    @GetMapping("/v1/messaging/templates")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "Every message template in every locale, as this workspace sends it ({placeholders} unfilled)",
            description = "Text messages (channel SMS) have a text; emails (channel EMAIL) a subject, a plain text"
                    + " and an HTML body.")
    TemplateList list(Caller caller) {
        List<TemplateView> views = new ArrayList<>();
        for (MessageTemplate template : MessageTemplate.values()) {
            for (String locale : List.of(MessageTemplate.EN_US, MessageTemplate.FR_CA)) {
                views.add(view(caller.workspaceId(), template, locale));
            }
        }
        return new TemplateList(views);
    }

    @PutMapping("/v1/messaging/templates/{template}/{locale}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Override a message template for one locale (en-US or fr-CA)",
            description = "Text messages: confirmation_request, confirmed, already_subscribed, unsubscribed, help; give"
                    + " the text (at most 1,600 characters). Placeholders: {brand} (the workspace's name), {unit} (the"
                    + " sign-up unit or topic), {disclosure}. Emails: email_confirmation_request; give any of subject"
                    + " (one line, at most 200 characters), text (the plain-text body, at most 10,000) and html (the"
                    + " HTML body, at most 100,000): the parts given replace the workspace's, the others stay."
                    + " Placeholders: {brand}, {topic} (the topic's name), {days} (how long the request waits),"
                    + " {confirmUrl} (the signed confirmation link: required in text and html) and {unsubscribeUrl}"
                    + " (the topic's one-click unsubscribe link). Values are HTML-escaped in the HTML; the HTML around"
                    + " them is the workspace's own. Every email also carries List-Unsubscribe and"
                    + " List-Unsubscribe-Post headers (RFC 8058).")
    TemplateView override(
            Caller caller, @PathVariable String template, @PathVariable String locale, @RequestBody TemplateText body) {
        MessageTemplate which;
        try {
            which = MessageTemplate.valueOf(template.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("template", "'" + template + "' is not a message template");
        }
        if (!MessageTemplate.supported(locale).equalsIgnoreCase(locale.replace('_', '-'))) {
            throw new InvalidInput("locale", "'" + locale + "' is not en-US or fr-CA");
        }
        Map<Part, String> parts = new EnumMap<>(Part.class);
        put(parts, Part.TEXT, body.text());
        put(parts, Part.SUBJECT, body.subject());
        put(parts, Part.HTML, body.html());
        templates.override(caller.workspaceId(), which, locale, parts);
        return view(caller.workspaceId(), which, MessageTemplate.supported(locale));
    }

    private TemplateView view(long workspaceId, MessageTemplate template, String locale) {
        return new TemplateView(
                template.key(),
                locale,
                template.channel(),
                templates.text(workspaceId, template, locale, Part.TEXT),
                template.isEmail() ? templates.text(workspaceId, template, locale, Part.SUBJECT) : null,
                template.isEmail() ? templates.text(workspaceId, template, locale, Part.HTML) : null);
    }

    private static void put(Map<Part, String> parts, Part part, @Nullable String text) {
        if (text != null) {
            parts.put(part, text);
        }
    }
}
