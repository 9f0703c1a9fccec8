package io.optledger.preferences;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.contact.Channel;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
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
 * One-click unsubscribe (RFC 8058). The mail provider POSTs {@code List-Unsubscribe=One-Click} to the link in the
 * message's {@code List-Unsubscribe} header, with no cookies and no credentials: the person leaves the link's topic
 * on its channel, or every marketing topic there. A GET changes nothing, since scanners and security gateways fetch
 * every URL in a message: it shows a page whose one button makes the same POST.
 */
@Controller
class OneClickController {

    static final String SOURCE = "one-click";

    private final PublicPageSupport pages;
    private final PreferencePage preferences;
    private final PublicLinks links;
    private final ConsentService consent;
    private final MessageSource messages;

    OneClickController(
            PublicPageSupport pages,
            PreferencePage preferences,
            PublicLinks links,
            ConsentService consent,
            MessageSource messages) {
        this.pages = pages;
        this.preferences = preferences;
        this.links = links;
        this.consent = consent;
        this.messages = messages;
    }

    @GetMapping(path = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    String page(HttpServletRequest request, @PathVariable String token, Model model) {
        LinkClaims claims = pages.open(request, token, LinkKind.UNSUBSCRIBE, model);
        PreferencePage.Sections sections = preferences.sections(claims.workspaceId(), claims.contactId());
        describe(model, claims, sections);
        model.addAttribute(
                "preferencesUrl",
                links.mint(
                                claims.workspaceId(),
                                claims.contactId(),
                                LinkKind.PREFERENCES,
                                null,
                                null,
                                claims.locale(),
                                null)
                        .url());
        return "pages/unsubscribe";
    }

    @PostMapping(path = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    String unsubscribe(
            HttpServletRequest request,
            @PathVariable String token,
            @RequestParam(name = "List-Unsubscribe", required = false) @Nullable String oneClick,
            Model model) {
        LinkClaims claims = pages.open(request, token, LinkKind.UNSUBSCRIBE, model);
        Locale locale = PageLocales.current(request);
        if (!"One-Click".equals(oneClick)) {
            throw new PageRefused(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "a POST without List-Unsubscribe=One-Click", 0);
        }
        PreferencePage.Sections sections = preferences.sections(claims.workspaceId(), claims.contactId());
        Channel channel = channel(claims);
        List<PreferenceRow> targets = targets(claims, sections);
        describe(model, claims, sections);
        List<PreferenceRow> subscribed =
                targets.stream().filter(PreferenceRow::on).toList();
        model.addAttribute("already", subscribed.isEmpty());
        if (!subscribed.isEmpty()) {
            Provenance provenance = PublicPageSupport.provenance(
                    SOURCE,
                    "unsubscribe",
                    locale,
                    messages.getMessage("unsubscribe.disclosure", new Object[] {model.getAttribute("brand")}, locale));
            List<ConsentCommand> commands = subscribed.stream()
                    .map(row -> new ConsentCommand(
                            ContactRef.id(claims.contactId()),
                            channel,
                            null,
                            row.topic(),
                            Action.OPT_OUT,
                            null,
                            null,
                            provenance))
                    .toList();
            consent.apply(new ConsentBatch(claims.workspaceId(), PublicPageSupport.context(request), commands));
        }
        return "pages/unsubscribed";
    }

    /** The link's topic on its channel, or every marketing topic the person can leave there. */
    private static List<PreferenceRow> targets(LinkClaims claims, PreferencePage.Sections sections) {
        return sections.rows().getOrDefault(channel(claims), List.of()).stream()
                .filter(row -> !row.mandatory())
                .filter(row -> claims.topic() != null ? row.topic().equals(claims.topic()) : row.marketing())
                .toList();
    }

    private static Channel channel(LinkClaims claims) {
        return claims.channel() != null ? claims.channel() : Channel.EMAIL;
    }

    private static void describe(Model model, LinkClaims claims, PreferencePage.Sections sections) {
        String address = sections.addresses().get(channel(claims));
        model.addAttribute("address", address == null ? null : PublicPageSupport.masked(address));
        model.addAttribute("channel", channel(claims).name());
        model.addAttribute(
                "topicName",
                claims.topic() == null
                        ? null
                        : targets(claims, sections).stream()
                                .map(PreferenceRow::name)
                                .findFirst()
                                .orElse(claims.topic()));
    }
}
