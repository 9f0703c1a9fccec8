package io.optledger.console;

import io.optledger.access.ApiKeys;
import io.optledger.access.IssuedApiKey;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.platform.InvalidInput;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The workspace's API keys: listed, issued (the secret shown once) and revoked; admin only, as in the API. */
@Controller
class KeysController {

    /** The scopes the console hands out; system power only ever comes from a system key, through the API. */
    static final List<Scope> ISSUABLE =
            List.of(Scope.SUBSCRIPTIONS_READ, Scope.SUBSCRIPTIONS_WRITE, Scope.ADMIN, Scope.SMS_INBOUND);

    private static final int MAX_NAME = 200;

    private final ApiKeys keys;

    KeysController(ApiKeys keys) {
        this.keys = keys;
    }

    @GetMapping(path = "/console/keys", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String list(Operator operator, Model model) {
        model.addAttribute("keys", keys.list(operator.workspaceId()));
        model.addAttribute("scopes", ISSUABLE);
        return "console/keys";
    }

    /** Answers the list with the new key's secret in it: shown on this page once, never stored or shown again. */
    @PostMapping(path = "/console/keys", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String issue(
            Operator operator,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(name = "scope", required = false) List<Scope> scopes,
            Model model) {
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new InvalidInput("name", "a key's name is 1 to " + MAX_NAME + " characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidInput("scopes", "a key needs at least one scope");
        }
        Set<Scope> chosen = EnumSet.copyOf(scopes);
        if (!ISSUABLE.containsAll(chosen)) {
            throw new InvalidInput("scopes", "the console issues " + ISSUABLE + " only");
        }
        IssuedApiKey issued = keys.issue(operator.workspaceId(), name.strip(), chosen);
        model.addAttribute("issued", issued);
        return list(operator, model);
    }

    @PostMapping(path = "/console/keys/{id}/revoke", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String revoke(Operator operator, @PathVariable String id) {
        keys.revoke(operator.workspaceId(), id);
        return "redirect:/console/keys";
    }
}
