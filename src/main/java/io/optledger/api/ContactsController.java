package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.api.ContactPayloads.ContactList;
import io.optledger.api.ContactPayloads.ContactView;
import io.optledger.api.ContactPayloads.RegisterContact;
import io.optledger.api.LedgerPayloads.EventPage;
import io.optledger.api.SubscriptionPayloads.SubscriptionList;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.IdentifierDetachments;
import io.optledger.consent.RequestContext;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.consent.ledger.Verification;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import io.optledger.proof.ContactErasure;
import io.optledger.proof.Erasure;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Contacts")
class ContactsController {

    private static final List<String> BUILT_IN = List.of(Identifier.EMAIL, Identifier.PHONE, Identifier.EXTERNAL_ID);

    private final Contacts contacts;
    private final Workspaces workspaces;
    private final ConsentReads consent;
    private final ConsentLedger ledger;
    private final IdentifierDetachments detachments;
    private final ContactErasure erasure;

    ContactsController(
            Contacts contacts,
            Workspaces workspaces,
            ConsentReads consent,
            ConsentLedger ledger,
            IdentifierDetachments detachments,
            ContactErasure erasure) {
        this.detachments = detachments;
        this.erasure = erasure;
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.consent = consent;
        this.ledger = ledger;
    }

    @PostMapping("/v1/contacts")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Create a contact (201), or return the one its identifiers already name (200)",
            description = "Identifiers the existing contact lacks are added and attributes merged. Identifiers that"
                    + " name two contacts, or a second email/phone/externalId for one, are a 409. With reassign: true"
                    + " the identifiers have a new owner: each is first detached from whoever holds it, with every"
                    + " subscription at its address, and a new contact is created clean (201).")
    ResponseEntity<ContactView> register(
            Caller caller, HttpServletRequest http, @Valid @RequestBody RegisterContact request) {
        String region = workspaces.defaultRegion(caller.workspaceId());
        List<Identifier> identifiers = new ArrayList<>();
        add(identifiers, Identifier.EMAIL, request.email(), region);
        add(identifiers, Identifier.PHONE, request.phone(), region);
        add(identifiers, Identifier.EXTERNAL_ID, request.externalId(), region);
        if (request.identifiers() != null) {
            for (Map.Entry<String, String> custom : request.identifiers().entrySet()) {
                if (BUILT_IN.contains(custom.getKey())) {
                    throw new InvalidInput(
                            "identifiers." + custom.getKey(), "give " + custom.getKey() + " as its own field");
                }
                add(identifiers, custom.getKey(), custom.getValue(), region);
            }
        }
        Map<String, Object> attributes = request.attributes() == null ? Map.of() : request.attributes();
        Contacts.Registration registration = Boolean.TRUE.equals(request.reassign())
                ? detachments.reassign(
                        caller.workspaceId(), identifiers, attributes, RequestContext.of(http, caller.keyId()))
                : contacts.register(caller.workspaceId(), identifiers, attributes);
        ContactView body = ContactView.of(registration.contact());
        return registration.created()
                ? ResponseEntity.created(URI.create("/v1/contacts/" + body.id()))
                        .body(body)
                : ResponseEntity.ok(body);
    }

    @GetMapping("/v1/contacts/{id}")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    ContactView get(Caller caller, @PathVariable long id) {
        return ContactView.of(contacts.get(caller.workspaceId(), id));
    }

    @GetMapping("/v1/contacts")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary =
                    "Find the contact an identifier names: email, phone, externalId, or identifierName and identifierValue")
    ContactList find(
            Caller caller,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String phone,
            @RequestParam(required = false) @Nullable String externalId,
            @RequestParam(required = false) @Nullable String identifierName,
            @RequestParam(required = false) @Nullable String identifierValue) {
        String region = workspaces.defaultRegion(caller.workspaceId());
        List<Identifier> given = new ArrayList<>();
        add(given, Identifier.EMAIL, email, region);
        add(given, Identifier.PHONE, phone, region);
        add(given, Identifier.EXTERNAL_ID, externalId, region);
        if (identifierName != null || identifierValue != null) {
            if (identifierName == null || identifierValue == null) {
                throw new InvalidInput("identifierName", "give identifierName and identifierValue together");
            }
            add(given, identifierName, identifierValue, region);
        }
        if (given.size() != 1) {
            throw new InvalidInput(
                    "email", "give exactly one of email, phone, externalId or identifierName/identifierValue");
        }
        return new ContactList(contacts.find(caller.workspaceId(), given.getFirst()).map(ContactView::of).stream()
                .toList());
    }

    @GetMapping("/v1/contacts/{id}/subscriptions")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "The contact's subscriptions with an explicit state (topics never asked about are absent)")
    SubscriptionList subscriptions(Caller caller, @PathVariable long id) {
        return new SubscriptionList(id, consent.subscriptionsOf(caller.workspaceId(), id));
    }

    @GetMapping("/v1/contacts/{id}/events")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "The contact's consent ledger, oldest first; page with afterSeq")
    EventPage events(
            Caller caller,
            @PathVariable long id,
            @RequestParam(defaultValue = "0") @Min(0) long afterSeq,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<ConsentEvent> events = ledger.events(caller.workspaceId(), id, afterSeq, limit);
        Long next = events.size() == limit ? events.getLast().seq() : null;
        return new EventPage(id, events, next);
    }

    @GetMapping("/v1/contacts/{id}/events/verify")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary =
                    "Recompute the contact's hash chain and current state from its ledger; reports the first mismatch")
    Verification verify(Caller caller, @PathVariable long id) {
        return ledger.verify(caller.workspaceId(), id);
    }

    @PostMapping("/v1/contacts/{id}/erase")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Erase the contact's personal data everywhere (GDPR Art. 17); its ledger keeps verifying",
            description = "In one transaction: identifiers, attributes and subscriptions removed; the address, reason,"
                    + " IP, user agent and details of every ledger event nulled (form 2 events keep their commitments,"
                    + " form 1 events their hashes); messages, outbox rows, webhook deliveries, pending confirmations,"
                    + " keyword stops, suppressions and stored idempotent answers about the contact or its addresses"
                    + " removed. Each address it held alone is left as a tombstone (a keyed hash) that keeps it from"
                    + " marketing until lifted (DELETE /v1/suppressions/{channel}/{address}); an ERASE event is appended"
                    + " to its chain and a contact.erased event (no address in it) goes to webhooks and Kafka. Erasing"
                    + " again answers the first erasure with alreadyErased: true. See docs/erasure.md.")
    Erasure erase(Caller caller, HttpServletRequest http, @PathVariable long id) {
        return erasure.erase(caller.workspaceId(), id, RequestContext.of(http, caller.keyId()));
    }

    private static void add(List<Identifier> identifiers, String name, @Nullable String raw, String region) {
        if (raw == null) {
            return;
        }
        try {
            identifiers.add(Identifier.normalised(name, raw, region));
        } catch (InvalidInput e) {
            throw new InvalidInput(name, e.getMessage());
        }
    }
}
