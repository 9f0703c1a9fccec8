package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.api.LinkPayloads.BatchLink;
import io.optledger.api.LinkPayloads.BatchLinks;
import io.optledger.api.LinkPayloads.LinkAnswer;
import io.optledger.api.LinkPayloads.LinkBatch;
import io.optledger.api.LinkPayloads.LinkRequest;
import io.optledger.consent.ContactRef;
import io.optledger.contact.Channel;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.preferences.LinkKey;
import io.optledger.preferences.LinkKeys;
import io.optledger.preferences.LinkKind;
import io.optledger.preferences.PublicLinks;
import io.optledger.topic.Topics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Signed links for the public pages, minted for a sender to put in its messages, and the keys that sign them. */
@RestController
@Tag(name = "Links")
class LinksController {

    private final PublicLinks links;
    private final LinkKeys keys;
    private final Contacts contacts;
    private final Topics topics;
    private final Workspaces workspaces;

    LinksController(PublicLinks links, LinkKeys keys, Contacts contacts, Topics topics, Workspaces workspaces) {
        this.links = links;
        this.keys = keys;
        this.contacts = contacts;
        this.topics = topics;
        this.workspaces = workspaces;
    }

    @PostMapping("/v1/links")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Mint a signed link (preference page, one-click unsubscribe or confirmation) for a contact",
            description = "Links are signed capabilities, not stored: no email or phone appears in them. Unsubscribe"
                    + " and preference links come with the RFC 8058 headers for email senders.")
    LinkAnswer mint(Caller caller, @Valid @RequestBody LinkRequest request) {
        String region = workspaces.defaultRegion(caller.workspaceId());
        ContactRef contact = request.contact(region);
        Map<Identifier, Long> named = contact instanceof ContactRef.ByIdentifier(Identifier identifier)
                ? contacts.idsOf(caller.workspaceId(), List.of(identifier))
                : Map.of();
        Set<Long> known = contact instanceof ContactRef.ById(long id)
                ? contacts.identifiersOf(caller.workspaceId(), List.of(), List.of(id))
                        .keySet()
                : Set.of();
        return answer(caller.workspaceId(), request, resolve(contact, named, known));
    }

    @PostMapping("/v1/links/batch")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Mint up to 1,000 signed links in one call, for senders that mint them at send time",
            description = "One answer per item, in order: its link, or the error that item alone has.")
    BatchLinks mintBatch(Caller caller, @Valid @RequestBody LinkBatch batch) {
        String region = workspaces.defaultRegion(caller.workspaceId());
        List<@Nullable ContactRef> refs = new ArrayList<>(batch.items().size());
        List<@Nullable String> invalid = new ArrayList<>(batch.items().size());
        for (LinkRequest item : batch.items()) {
            try {
                refs.add(item.contact(region));
                invalid.add(null);
            } catch (InvalidInput e) {
                refs.add(null);
                invalid.add(e.getMessage());
            }
        }
        List<Identifier> identifiers = refs.stream()
                .filter(ref -> ref instanceof ContactRef.ByIdentifier)
                .map(ref -> ((ContactRef.ByIdentifier) ref).identifier())
                .toList();
        List<Long> ids = refs.stream()
                .filter(ref -> ref instanceof ContactRef.ById)
                .map(ref -> ((ContactRef.ById) ref).id())
                .toList();
        Map<Identifier, Long> named = contacts.idsOf(caller.workspaceId(), identifiers);
        Set<Long> known = ids.isEmpty()
                ? Set.of()
                : contacts.identifiersOf(caller.workspaceId(), List.of(), ids).keySet();
        List<BatchLink> answers = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            ContactRef ref = refs.get(i);
            if (ref == null) {
                answers.add(new BatchLink(i, null, "invalid", invalid.get(i)));
                continue;
            }
            try {
                answers.add(new BatchLink(
                        i, answer(caller.workspaceId(), batch.items().get(i), resolve(ref, named, known)), null, null));
            } catch (NotFound e) {
                answers.add(new BatchLink(i, null, "not_found", e.getMessage()));
            } catch (InvalidInput e) {
                answers.add(new BatchLink(i, null, "invalid", e.getMessage()));
            }
        }
        return new BatchLinks(answers);
    }

    @GetMapping("/v1/links/keys")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "The workspace's link-signing keys (ids and dates, never the secrets)")
    LinkPayloads.LinkKeys keys(Caller caller) {
        return new LinkPayloads.LinkKeys(
                keys.all(caller.workspaceId()).stream().map(LinkKey::summary).toList());
    }

    @PostMapping("/v1/links/keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Rotate: a new key signs links from now on",
            description = "Links signed by older keys keep working until those keys are retired.")
    LinkKey.Summary rotate(Caller caller) {
        return keys.rotate(caller.workspaceId()).summary();
    }

    @DeleteMapping("/v1/links/keys/{id}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Retire a key: every link it signed stops working",
            description = "The key that signs new links cannot be retired until another has been made (409).")
    LinkKey.Summary retire(Caller caller, @PathVariable String id) {
        return keys.retire(caller.workspaceId(), id).summary();
    }

    private static long resolve(ContactRef ref, Map<Identifier, Long> named, Set<Long> known) {
        return switch (ref) {
            case ContactRef.ById(long id) when known.contains(id) -> id;
            case ContactRef.ById(long id) -> throw new NotFound("no contact " + id);
            case ContactRef.ByIdentifier(Identifier identifier)
            when named.containsKey(identifier) -> named.get(identifier);
            case ContactRef.ByIdentifier(Identifier identifier) ->
                throw new NotFound("no contact with " + identifier.name() + " " + identifier.value());
        };
    }

    private LinkAnswer answer(long workspaceId, LinkRequest request, long contactId) {
        if (request.topic() != null && topics.find(workspaceId, request.topic()).isEmpty()) {
            throw new InvalidInput("topic", "no topic '" + request.topic() + "' in this workspace");
        }
        Duration lifetime = request.lifetimeDays() == null ? null : Duration.ofDays(request.lifetimeDays());
        PublicLinks.Link link = links.mint(
                workspaceId, contactId, request.kind(), request.topic(), request.channel(), request.locale(), lifetime);
        PublicLinks.Link unsubscribe = null;
        if (request.channel() != Channel.SMS) {
            unsubscribe = switch (request.kind()) {
                case UNSUBSCRIBE -> link;
                case PREFERENCES ->
                    links.mint(
                            workspaceId,
                            contactId,
                            LinkKind.UNSUBSCRIBE,
                            request.topic(),
                            request.channel(),
                            request.locale(),
                            lifetime);
                case CONFIRM -> null;
            };
        }
        return LinkAnswer.of(link, unsubscribe);
    }
}
