package io.optledger.preferences;

import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Status;
import io.optledger.contact.Channel;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The confirmation of a double opt-in by email. A GET only shows a "Confirm" button (scanners fetch every link in a
 * message); its POST confirms the pending subscription, and the ledger event keeps the confirming IP, user agent
 * and time: the proof of double opt-in.
 */
@Controller
class ConfirmPageController {

    static final String SOURCE = "confirm-page";

    private final PublicPageSupport pages;
    private final PreferencePage preferences;
    private final ConsentService consent;
    private final MessageSource messages;

    ConfirmPageController(
            PublicPageSupport pages, PreferencePage preferences, ConsentService consent, MessageSource messages) {
        this.pages = pages;
        this.preferences = preferences;
        this.consent = consent;
        this.messages = messages;
    }

    @GetMapping(path = "/c/{token}", produces = MediaType.TEXT_HTML_VALUE)
    String page(HttpServletRequest request, @PathVariable String token, Model model) {
        LinkClaims claims = pages.open(request, token, LinkKind.CONFIRM, model);
        describe(model, claims);
        return "pages/confirm";
    }

    @PostMapping(path = "/c/{token}", produces = MediaType.TEXT_HTML_VALUE)
    String confirm(HttpServletRequest request, @PathVariable String token, Model model) {
        pages.sameOrigin(request);
        LinkClaims claims = pages.open(request, token, LinkKind.CONFIRM, model);
        Locale locale = PageLocales.current(request);
        PreferenceRow row = describe(model, claims);
        String result;
        if (row.state() == PreferenceRow.State.SUBSCRIBED) {
            result = "already";
        } else if (row.state() != PreferenceRow.State.PENDING) {
            result = "nothing";
        } else {
            ChangeOutcome outcome = consent.apply(new ConsentBatch(
                            claims.workspaceId(),
                            PublicPageSupport.context(request),
                            List.of(new ConsentCommand(
                                    ContactRef.id(claims.contactId()),
                                    row.channel(),
                                    null,
                                    row.topic(),
                                    Action.CONFIRM,
                                    null,
                                    null,
                                    PublicPageSupport.provenance(
                                            SOURCE,
                                            "confirm",
                                            locale,
                                            messages.getMessage(
                                                    "confirm.disclosure",
                                                    new Object[] {model.getAttribute("brand"), row.name()},
                                                    locale))))))
                    .getFirst();
            result = outcome instanceof ChangeOutcome.Changed changed
                            && changed.subscription().status() == Status.SUBSCRIBED
                    ? "confirmed"
                    : "nothing";
        }
        model.addAttribute("result", result);
        return "pages/confirmed";
    }

    /** The row the link confirms, in the model with its masked address; a link to no such row is not valid. */
    private PreferenceRow describe(Model model, LinkClaims claims) {
        if (claims.topic() == null) {
            throw new InvalidLink("a confirm link without a topic");
        }
        Channel channel = claims.channel() != null ? claims.channel() : Channel.EMAIL;
        PreferencePage.Sections sections = preferences.sections(claims.workspaceId(), claims.contactId());
        PreferenceRow row = sections.row(channel.name() + ":" + claims.topic());
        if (row == null) {
            throw new PageRefused(HttpStatus.NOT_FOUND, "no " + channel + " " + claims.topic() + " to confirm", 0);
        }
        model.addAttribute(
                "address", PublicPageSupport.masked(sections.addresses().get(channel)));
        model.addAttribute("topicName", row.name());
        model.addAttribute("channel", channel.name());
        return row;
    }
}
