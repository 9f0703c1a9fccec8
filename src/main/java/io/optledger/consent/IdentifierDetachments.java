package io.optledger.consent;

import io.optledger.audit.WorkspaceEventKind;
import io.optledger.audit.WorkspaceLedger;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.platform.NotFound;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Detaches an identifier from the contact holding it: a recycled phone number, an email address handed on. The
 * identifier then names nobody, and the subscriptions at that address become DETACHED (a {@code DETACH} event on each
 * one's ledger): kept as history, counted for nothing at the address, so whoever registers it next starts clean and the
 * old owner's consent never applies to the new person. The detachment itself is on the workspace ledger.
 */
@Service
public class IdentifierDetachments {

    /** The source of the ledger events a detachment writes. */
    public static final String SOURCE = "identifier-detached";

    private final ConsentService consent;
    private final ConsentReads reads;
    private final Contacts contacts;
    private final WorkspaceLedger workspaceLedger;

    IdentifierDetachments(
            ConsentService consent, ConsentReads reads, Contacts contacts, WorkspaceLedger workspaceLedger) {
        this.consent = consent;
        this.reads = reads;
        this.contacts = contacts;
        this.workspaceLedger = workspaceLedger;
    }

    /** What a detachment did: the contact that held the identifier (null: nobody), and how many subscriptions ended. */
    public record Detached(Identifier identifier, @Nullable Long formerContact, int subscriptionsDetached) {}

    /** Who a detachment reaches at the address. */
    public enum Scope {
        /** The named contact's subscriptions at the address: the contact says the address is no longer theirs. */
        CONTACT,
        /**
         * Every subscription at the address, whoever holds it: the address itself has a new owner (a carrier's
         * reassigned-numbers report, a registration that takes the identifier over).
         */
        ADDRESS
    }

    /**
     * Detaches the identifier from {@code contactId} (which must hold it, else {@link NotFound}), or from whoever holds
     * it when {@code contactId} is null; with {@link Scope#ADDRESS}, ends every subscription at the address too.
     */
    @Transactional
    public Detached detach(
            long workspaceId,
            @Nullable Long contactId,
            Identifier identifier,
            Scope scope,
            String reason,
            RequestContext context) {
        Optional<Contact> holder = contacts.find(workspaceId, identifier);
        if (contactId != null) {
            contacts.get(workspaceId, contactId);
            if (holder.isEmpty() || holder.get().id() != contactId) {
                throw new NotFound(
                        "contact " + contactId + " has no " + identifier.name() + " '" + identifier.value() + "'");
            }
        }
        Long former = holder.map(Contact::id).orElse(null);
        List<Channel> channels = Arrays.stream(Channel.values())
                .filter(channel -> identifier.name().equals(channel.defaultIdentifier()))
                .toList();
        List<ConsentCommand> commands = new ArrayList<>();
        if (!channels.isEmpty()) {
            List<Subscription> at = reads.subscriptionsAt(
                    workspaceId, channels, Collections.nCopies(channels.size(), identifier.value()));
            for (Subscription s : at) {
                boolean reached = scope == Scope.ADDRESS || (former != null && s.contactId() == former);
                if (reached && s.status() != Status.DETACHED) {
                    commands.add(new ConsentCommand(
                            ContactRef.id(s.contactId()),
                            s.channel(),
                            s.address(),
                            s.topic(),
                            Action.DETACH,
                            null,
                            null,
                            new Provenance(SOURCE, reason, null, null, null, Map.of("identifier", identifier.name()))));
                }
            }
        }
        int detached = 0;
        for (int from = 0; from < commands.size(); from += ConsentBatch.MAX_COMMANDS) {
            List<ConsentCommand> chunk =
                    commands.subList(from, Math.min(commands.size(), from + ConsentBatch.MAX_COMMANDS));
            for (ChangeOutcome outcome : consent.apply(new ConsentBatch(workspaceId, context, chunk))) {
                if (outcome instanceof ChangeOutcome.Changed) {
                    detached++;
                }
            }
        }
        if (former != null) {
            contacts.detachIdentifier(workspaceId, former, identifier);
            workspaceLedger.append(
                    workspaceId,
                    WorkspaceEventKind.IDENTIFIER_DETACHED,
                    "contact:" + former,
                    identifier.name() + "=" + identifier.value(),
                    null,
                    context.actor(SOURCE, reason));
        }
        return new Detached(identifier, former, detached);
    }

    /** Detaches each identifier from whoever holds it, with every subscription at its address, in one transaction. */
    @Transactional
    public List<Detached> detachAll(
            long workspaceId, List<Identifier> identifiers, String reason, RequestContext context) {
        List<Detached> done = new ArrayList<>(identifiers.size());
        for (Identifier identifier : identifiers) {
            done.add(detach(workspaceId, null, identifier, Scope.ADDRESS, reason, context));
        }
        return done;
    }

    /**
     * Registers a new owner of the identifiers: each is first detached from whoever holds it (with every subscription
     * at its address), so the contact registered starts clean. One transaction: all of it, or none.
     */
    @Transactional
    public Contacts.Registration reassign(
            long workspaceId, List<Identifier> identifiers, Map<String, Object> attributes, RequestContext context) {
        detachAll(workspaceId, identifiers, "reassigned", context);
        return contacts.register(workspaceId, identifiers, attributes);
    }
}
