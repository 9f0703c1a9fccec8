package io.optledger.console;

import io.optledger.messaging.MessageTemplate;
import io.optledger.messaging.MessageTemplate.Part;
import io.optledger.messaging.MessageTemplates;
import io.optledger.topic.SignUpUnit;
import io.optledger.topic.SignUpUnit.Disclosure;
import io.optledger.topic.SignUpUnits;
import io.optledger.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The workspace's read-mostly settings: topics, sign-up units with their disclosure versions, message templates. */
@Controller
class WorkspacePagesController {

    private final Topics topics;
    private final SignUpUnits units;
    private final MessageTemplates templates;

    WorkspacePagesController(Topics topics, SignUpUnits units, MessageTemplates templates) {
        this.topics = topics;
        this.units = units;
        this.templates = templates;
    }

    /** A unit with every version of its disclosure, newest first. */
    record UnitView(SignUpUnit unit, List<Disclosure> disclosures) {}

    /** A template in one locale, as this workspace sends it. */
    record TemplateView(
            MessageTemplate template,
            String locale,
            String text,
            @Nullable String subject,
            @Nullable String html) {}

    @GetMapping(path = "/console/topics", produces = MediaType.TEXT_HTML_VALUE)
    String topics(Operator operator, Model model) {
        model.addAttribute("topics", topics.list(operator.workspaceId()));
        return "console/topics";
    }

    @GetMapping(path = "/console/sign-up-units", produces = MediaType.TEXT_HTML_VALUE)
    String units(Operator operator, Model model) {
        long workspaceId = operator.workspaceId();
        model.addAttribute(
                "units",
                units.list(workspaceId).stream()
                        .map(unit -> new UnitView(
                                unit, units.disclosures(workspaceId, unit.id()).reversed()))
                        .toList());
        return "console/units";
    }

    @GetMapping(path = "/console/templates", produces = MediaType.TEXT_HTML_VALUE)
    String templates(Operator operator, Model model) {
        List<TemplateView> views = new ArrayList<>();
        for (MessageTemplate template : MessageTemplate.values()) {
            for (String locale : List.of(MessageTemplate.EN_US, MessageTemplate.FR_CA)) {
                long workspaceId = operator.workspaceId();
                views.add(new TemplateView(
                        template,
                        locale,
                        templates.text(workspaceId, template, locale, Part.TEXT),
                        template.isEmail() ? templates.text(workspaceId, template, locale, Part.SUBJECT) : null,
                        template.isEmail() ? templates.text(workspaceId, template, locale, Part.HTML) : null));
            }
        }
        model.addAttribute("templates", views);
        return "console/templates";
    }
}
