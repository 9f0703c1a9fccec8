package io.optledger.console;

import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import io.optledger.suppression.Suppressions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The workspace's suppressions: listed a page at a time, added and lifted, each on the workspace ledger. */
@Controller
class SuppressionsPageController {

    static final int PAGE = 50;
    private static final int MAX_TEXT = 1_000;

    private final Suppressions suppressions;

    SuppressionsPageController(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    @GetMapping(path = "/console/suppressions", produces = MediaType.TEXT_HTML_VALUE)
    String list(
            Operator operator,
            @RequestParam(defaultValue = "") String afterChannel,
            @RequestParam(defaultValue = "") String afterAddress,
            Model model) {
        List<Suppression> page = suppressions.page(operator.workspaceId(), afterChannel, afterAddress, PAGE + 1);
        model.addAttribute("suppressions", page.stream().limit(PAGE).toList());
        model.addAttribute("next", page.size() > PAGE ? page.get(PAGE - 1) : null);
        model.addAttribute("channels", Channel.values());
        model.addAttribute("reasons", SuppressionReason.values());
        return "console/suppressions";
    }

    @PostMapping(path = "/console/suppressions", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String add(
            Operator operator,
            HttpServletRequest request,
            @RequestParam Channel channel,
            @RequestParam String address,
            @RequestParam SuppressionReason reason,
            @RequestParam(required = false) @Nullable String note,
            RedirectAttributes redirect) {
        String text = text("note", note);
        suppressions.suppress(
                operator.workspaceId(),
                channel,
                address,
                reason,
                text,
                operator.context(request).actor(operator.source(), text));
        redirect.addAttribute("done", "added");
        return "redirect:/console/suppressions";
    }

    @PostMapping(path = "/console/suppressions/lift", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String lift(
            Operator operator,
            HttpServletRequest request,
            @RequestParam Channel channel,
            @RequestParam String address,
            @RequestParam(defaultValue = "") String reason,
            RedirectAttributes redirect) {
        String why = text("reason", reason);
        if (why == null) {
            throw new InvalidInput("reason", "give the reason for lifting it: it goes on the workspace ledger");
        }
        suppressions.lift(
                operator.workspaceId(),
                channel,
                address,
                operator.context(request).actor(operator.source(), why));
        redirect.addAttribute("done", "lifted");
        return "redirect:/console/suppressions";
    }

    private static @Nullable String text(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidInput(field, "at most " + MAX_TEXT + " characters");
        }
        return text.strip();
    }
}
