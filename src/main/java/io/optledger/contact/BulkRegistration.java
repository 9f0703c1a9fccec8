package io.optledger.contact;

import io.optledger.contact.internal.JdbcContacts;
import io.optledger.platform.Conflict;
import io.optledger.platform.InvalidInput;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** The registration of many contacts at once, in a few set-based statements: an import's chunk of rows. */
@Service
public class BulkRegistration {

    private final JdbcContacts contacts;
    private final TransactionTemplate savepoint;
    private final Clock clock;

    BulkRegistration(JdbcContacts contacts, TransactionTemplate transactions, Clock clock) {
        this.contacts = contacts;
        this.savepoint = new TransactionTemplate(Objects.requireNonNull(transactions.getTransactionManager()));
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
    }

    /**
     * What {@link #registerAll} did with one group of identifiers: the contact they name (and whether this call created
     * it), or, with no contact, why not (the {@link Conflict} {@link Contacts#register} would have thrown).
     */
    public record Registered(
            @Nullable Long contactId,
            boolean created,
            @Nullable String conflict) {}

    /**
     * {@link Contacts#register} for many groups of identifiers at once (without attributes), in the caller's
     * transaction: each group, in order, finds or creates its contact and adds the identifiers it lacks, exactly as one
     * call of {@link Contacts#register} per group after the other would, and a group whose identifiers name different
     * contacts, or give a contact a second value for a name, is answered with its conflict and changes nothing.
     * Set-based whatever the number of groups: one query reads the contacts the identifiers name, one insert creates
     * the new contacts and one inserts every new identifier, in the canonical order every path uses (so it cannot
     * deadlock with {@link Contacts#idsOrCreate} or {@link Contacts#register}); an identifier a concurrent transaction
     * took meanwhile (that insert waits for it) rolls this attempt back to its savepoint and the groups are decided
     * again on what that transaction committed, at most three times, then it is a {@link Conflict}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Registered> registerAll(long workspaceId, List<? extends Collection<Identifier>> groups) {
        for (Collection<Identifier> group : groups) {
            if (group.isEmpty()) {
                throw new InvalidInput(
                        "identifiers", "a contact needs at least one of email, phone, externalId or identifiers");
            }
        }
        for (int attempt = 1; attempt <= Contacts.REGISTER_ATTEMPTS; attempt++) {
            List<Registered> done = savepoint.execute(status -> tryRegisterAll(workspaceId, groups, status));
            if (done != null) {
                return done;
            }
        }
        throw new Conflict("the contacts' identifiers kept changing concurrently; retry the request");
    }

    /** One attempt of {@link #registerAll}: null, rolled back, when a concurrent transaction took an identifier. */
    private @Nullable List<Registered> tryRegisterAll(
            long workspaceId, List<? extends Collection<Identifier>> groups, TransactionStatus status) {
        Set<Identifier> all = new LinkedHashSet<>();
        groups.forEach(all::addAll);
        // by contact (new ones as -1, -2, ... until they have ids): its identifiers by name, as the groups add them
        Map<Long, Map<String, String>> held =
                new HashMap<>(contacts.findIdentifiersOfNamed(workspaceId, all, List.of()));
        Map<Identifier, Long> named = new HashMap<>();
        held.forEach(
                (id, identifiers) -> identifiers.forEach((name, value) -> named.put(new Identifier(name, value), id)));
        Map<Identifier, Long> insert = new TreeMap<>(Contacts.CANONICAL);
        List<Registered> planned = new ArrayList<>(groups.size());
        long newContacts = 0;
        for (Collection<Identifier> group : groups) {
            Set<Long> ids = new LinkedHashSet<>();
            for (Identifier identifier : group) {
                Long id = named.get(identifier);
                if (id != null) {
                    ids.add(id);
                }
            }
            if (ids.size() > 1) {
                planned.add(conflict("these identifiers name different contacts"
                        + (ids.stream().allMatch(id -> id > 0) ? ": " + ids : "")));
                continue;
            }
            boolean created = ids.isEmpty();
            long id = created ? -(++newContacts) : ids.iterator().next();
            Map<String, String> of = created ? new HashMap<>() : held.get(id);
            String clash = null;
            Map<String, String> given = new HashMap<>();
            for (Identifier identifier : group) {
                String before = of.getOrDefault(identifier.name(), given.get(identifier.name()));
                if (before != null && !before.equals(identifier.value())) {
                    clash = identifier.name();
                    break;
                }
                given.put(identifier.name(), identifier.value());
            }
            if (clash != null) {
                if (created) {
                    newContacts--;
                }
                planned.add(
                        created
                                ? conflict("two values for " + clash)
                                : new Registered(
                                        id, false, "contact " + CONTACT + " already has a different " + clash));
                continue;
            }
            held.put(id, of);
            for (Identifier identifier : group) {
                if (!named.containsKey(identifier)) {
                    named.put(identifier, id);
                    of.put(identifier.name(), identifier.value());
                    insert.put(identifier, id);
                }
            }
            planned.add(new Registered(id, created, null));
        }
        Instant now = clock.instant();
        List<Long> createdIds =
                newContacts == 0 ? List.of() : contacts.insertContacts(workspaceId, (int) newContacts, now);
        if (!insert.isEmpty()) {
            List<Identifier> identifiers = new ArrayList<>(insert.keySet());
            List<Long> owners = insert.values().stream()
                    .map(id -> id < 0 ? createdIds.get((int) (-id - 1)) : id)
                    .toList();
            if (contacts.insertIdentifiers(workspaceId, identifiers, owners, now)
                            .size()
                    < identifiers.size()) {
                // a concurrent transaction took one and has committed by now: decide the groups again on what it did
                status.setRollbackOnly();
                return null;
            }
        }
        return planned.stream()
                .map(r -> {
                    if (r.contactId() == null) {
                        return r;
                    }
                    long id = r.contactId() > 0 ? r.contactId() : createdIds.get((int) (-r.contactId() - 1));
                    return r.conflict() == null
                            ? new Registered(id, r.created(), null)
                            : conflict(r.conflict().replace(CONTACT, Long.toString(id)));
                })
                .toList();
    }

    /** Where a conflict's message names a contact that may have no id yet. */
    private static final String CONTACT = "\u0000contact";

    private static Registered conflict(String message) {
        return new Registered(null, false, message);
    }
}
