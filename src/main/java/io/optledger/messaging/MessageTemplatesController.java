package io.optledger.messaging;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The workspace's message texts, and their overrides. */
@RestController
@Tag(name = "Messages")
class MessageTemplatesController {

    private final MessageTemplates templates;

    MessageTemplatesController(MessageTemplates templates) {
        this.templates = templates;
    }

    record TemplateView(String template, String locale, String text) {}

    record TemplateList(List<TemplateView> templates) {}

    record TemplateText(@Nullable String text) {}

    @GetMapping("/v1/messaging/templates")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "Every message text in every locale, as this workspace sends it ({placeholders} filled in)")
    TemplateList list(Caller caller) {
        List<TemplateView> views = new ArrayList<>();
        for (MessageTemplate template : MessageTemplate.values()) {
            for (String locale : List.of(MessageTemplate.EN_US, MessageTemplate.FR_CA)) {
                views.add(new TemplateView(
                        template.key(), locale, templates.text(caller.workspaceId(), template, locale)));
            }
        }
        return new TemplateList(views);
    }

    @PutMapping("/v1/messaging/templates/{template}/{locale}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Override a message text for one locale (en-US or fr-CA)",
            description =
                    "Templates: confirmation_request, confirmed, already_subscribed, unsubscribed, help."
                            + " Placeholders: {brand} (the workspace's name), {unit} (the sign-up unit or topic), {disclosure}.")
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
        if (body.text() == null) {
            throw new InvalidInput("text", "give the text");
        }
        templates.override(caller.workspaceId(), which, locale, body.text());
        return new TemplateView(
                which.key(), MessageTemplate.supported(locale), templates.text(caller.workspaceId(), which, locale));
    }
}
