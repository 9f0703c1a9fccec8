package io.optledger.console;

import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.delivery.webhook.Delivery;
import io.optledger.delivery.webhook.Webhooks;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The workspace's webhook endpoints and each one's deliveries; admin only, as in the API. Secrets never shown. */
@Controller
class WebhooksPageController {

    static final int PAGE = 50;

    private final Webhooks webhooks;

    WebhooksPageController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping(path = "/console/webhooks", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String list(Operator operator, Model model) {
        model.addAttribute("endpoints", webhooks.list(operator.workspaceId()));
        return "console/webhooks";
    }

    @GetMapping(path = "/console/webhooks/{id}", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String deliveries(
            Operator operator,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String before,
            Model model) {
        List<Delivery> page = webhooks.deliveries(operator.workspaceId(), id, null, before, PAGE + 1);
        model.addAttribute("endpoint", webhooks.get(operator.workspaceId(), id));
        model.addAttribute("deliveries", page.stream().limit(PAGE).toList());
        model.addAttribute("next", page.size() > PAGE ? page.get(PAGE - 1).id() : null);
        return "console/webhook";
    }
}
