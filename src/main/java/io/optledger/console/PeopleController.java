package io.optledger.console;

import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.MaskingLogCustomizer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Finding a person, their page, the proof of their chain, and an admin's change to one of their subscriptions. */
@Controller
class PeopleController {

    static final int MAX_RESULTS = 20;
    private static final int MAX_QUERY = 512;
    /** What an operator may do to a subscription here; the rest stays the API's. */
    static final List<Action> ACTIONS = List.of(Action.OPT_IN, Action.OPT_OUT, Action.SUSPEND, Action.RESUME);

    private final Contacts contacts;
    private final Workspaces workspaces;
    private final PersonPages pages;
    private final ConsentLedger ledger;
    private final ConsentService consent;

    PeopleController(
            Contacts contacts, Workspaces workspaces, PersonPages pages, ConsentLedger ledger, ConsentService consent) {
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.pages = pages;
        this.ledger = ledger;
        this.consent = consent;
    }

    /** A search hit as a list shows it: every identifier masked. */
    record Hit(long id, Map<String, String> identifiers) {}

    @GetMapping(path = "/console/people", produces = MediaType.TEXT_HTML_VALUE)
    String search(Operator operator, @RequestParam(name = "q", defaultValue = "") String query, Model model) {
        String q = query.strip();
        if (q.length() > MAX_QUERY) {
            throw new InvalidInput("q", "a search is at most " + MAX_QUERY + " characters");
        }
        model.addAttribute("q", q);
        if (!q.isEmpty()) {
            List<Contact> found =
                    contacts.findByAnyIdentifier(operator.workspaceId(), candidates(operator, q), MAX_RESULTS);
            model.addAttribute(
                    "hits",
                    found.stream()
                            .map(c -> new Hit(c.id(), masked(c.identifiers())))
                            .toList());
        }
        return "console/search";
    }

    @GetMapping(path = "/console/people/{id}", produces = MediaType.TEXT_HTML_VALUE)
    String person(
            Operator operator,
            @PathVariable long id,
            @RequestParam(required = false) @Nullable Long before,
            @RequestParam(required = false) @Nullable String changed,
            Model model) {
        model.addAttribute("page", pages.of(operator.workspaceId(), id, before));
        model.addAttribute("actions", ACTIONS);
        model.addAttribute("changed", changed);
        return "console/person";
    }

    /** The chain's verification: a fragment for htmx, a page of its own without JavaScript. */
    @GetMapping(path = "/console/people/{id}/verify", produces = MediaType.TEXT_HTML_VALUE)
    String verify(Operator operator, @PathVariable long id, HttpServletRequest request, Model model) {
        model.addAttribute("contactId", id);
        model.addAttribute("verification", ledger.verify(operator.workspaceId(), id));
        return request.getHeader("HX-Request") != null ? "console/verify :: result" : "console/verify";
    }

    @PostMapping(path = "/console/people/{id}/subscriptions", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresScope(Scope.ADMIN)
    String change(
            Operator operator,
            HttpServletRequest request,
            @PathVariable long id,
            @RequestParam Channel channel,
            @RequestParam String address,
            @RequestParam String topic,
            @RequestParam Action action,
            @RequestParam(defaultValue = "") String reason,
            RedirectAttributes redirect) {
        if (!ACTIONS.contains(action)) {
            throw new InvalidInput("action", "the console changes a subscription by " + ACTIONS + " only");
        }
        if (reason.isBlank()) {
            throw new InvalidInput("reason", "give the reason for the change: it goes on the ledger");
        }
        ConsentCommand command = new ConsentCommand(
                ContactRef.id(id),
                channel,
                address,
                topic,
                action,
                null,
                null,
                new Provenance(operator.source(), reason.strip(), null, null, null, Map.of()));
        ChangeOutcome outcome = consent.apply(
                        new ConsentBatch(operator.workspaceId(), operator.context(request), List.of(command)))
                .getFirst();
        if (outcome instanceof ChangeOutcome.Rejected rejected) {
            throw new InvalidInput("action", rejected.message());
        }
        redirect.addAttribute("changed", outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        return "redirect:/console/people/" + id;
    }

    /** The values a search may mean: as typed, and normalised as an email or a phone number where it reads as one. */
    private Set<String> candidates(Operator operator, String q) {
        Set<String> values = new LinkedHashSet<>();
        values.add(q);
        String region = workspaces.defaultRegion(operator.workspaceId());
        for (String kind : List.of(Identifier.EMAIL, Identifier.PHONE)) {
            try {
                values.add(Identifier.normalised(kind, q, region).value());
            } catch (InvalidInput | IllegalArgumentException e) {
                // not one of those
            }
        }
        return values;
    }

    static Map<String, String> masked(Map<String, String> identifiers) {
        Map<String, String> masked = new LinkedHashMap<>();
        identifiers.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> masked.put(e.getKey(), mask(e.getKey(), e.getValue())));
        return masked;
    }

    /** An email or phone as the logs mask it; any other identifier keeps its first and last two characters. */
    static String mask(String name, String value) {
        if (name.equals(Identifier.EMAIL) || name.equals(Identifier.PHONE)) {
            return MaskingLogCustomizer.mask(value);
        }
        return value.length() <= 6 ? "***" : value.substring(0, 2) + "***" + value.substring(value.length() - 2);
    }
}
