package io.optledger.preferences;

import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.Provenance;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The hosted preference page: every channel the person has an address on and every topic, as eligibility answers
 * now. Saving posts the whole form; only the rows the person changed become consent changes, in one batch, on the
 * ledger with the page's source, language and wording, the client's IP and user agent.
 */
@Controller
class PreferencePageController {

    static final String SOURCE = "preference-page";
    /** A row as the page showed it: {@code EMAIL:marketing=1} (ticked) or {@code =0}. */
    private static final String SHOWN = "shown";

    private final PublicPageSupport pages;
    private final PreferencePage preferences;
    private final ConsentService consent;
    private final MessageSource messages;

    PreferencePageController(
            PublicPageSupport pages, PreferencePage preferences, ConsentService consent, MessageSource messages) {
        this.pages = pages;
        this.preferences = preferences;
        this.consent = consent;
        this.messages = messages;
    }

    @GetMapping(path = "/p/{token}", produces = MediaType.TEXT_HTML_VALUE)
    String page(
            HttpServletRequest request,
            @PathVariable String token,
            @RequestParam(required = false) @Nullable Integer saved,
            Model model) {
        LinkClaims claims = pages.open(request, token, LinkKind.PREFERENCES, model);
        show(model, preferences.sections(claims.workspaceId(), claims.contactId()));
        model.addAttribute("saved", saved);
        return "pages/preferences";
    }

    @PostMapping(path = "/p/{token}", produces = MediaType.TEXT_HTML_VALUE)
    String save(
            HttpServletRequest request,
            @PathVariable String token,
            @RequestParam(name = "on", required = false) @Nullable List<String> ticked,
            @RequestParam(name = SHOWN, required = false) @Nullable List<String> shown,
            @RequestParam(name = "action", required = false) @Nullable String action,
            Model model) {
        pages.sameOrigin(request);
        LinkClaims claims = pages.open(request, token, LinkKind.PREFERENCES, model);
        Locale locale = PageLocales.current(request);
        PreferencePage.Sections sections = preferences.sections(claims.workspaceId(), claims.contactId());
        Provenance provenance = PublicPageSupport.provenance(
                SOURCE,
                "preferences",
                locale,
                messages.getMessage("preferences.disclosure", new Object[] {model.getAttribute("brand")}, locale));
        List<ConsentCommand> commands = preferences.commands(
                sections,
                shown(shown),
                ticked == null ? Set.of() : new HashSet<>(ticked),
                "unsubscribe-all".equals(action),
                provenance);
        if (!commands.isEmpty()) {
            consent.apply(new ConsentBatch(claims.workspaceId(), PublicPageSupport.context(request), commands));
        }
        // after a post, a get: reloading the confirmation does not post again
        return "redirect:/p/" + token + "?saved=" + commands.size();
    }

    private static void show(Model model, PreferencePage.Sections sections) {
        Map<String, String> addresses = new HashMap<>();
        sections.addresses()
                .forEach((channel, address) -> addresses.put(channel.name(), PublicPageSupport.masked(address)));
        model.addAttribute("addresses", addresses);
        model.addAttribute("sections", sections.rows());
    }

    /** The rows the form says it showed, and whether ticked; malformed entries are ignored. */
    private static Map<String, Boolean> shown(@Nullable List<String> values) {
        Map<String, Boolean> shown = new HashMap<>();
        if (values != null) {
            for (String value : values) {
                int equals = value.lastIndexOf('=');
                if (equals > 0) {
                    shown.put(value.substring(0, equals), value.endsWith("=1"));
                }
            }
        }
        return shown;
    }
}
