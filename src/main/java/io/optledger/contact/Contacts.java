package io.optledger.contact;

import io.optledger.contact.internal.JdbcContacts;
import io.optledger.platform.Conflict;
import io.optledger.platform.FreeForm;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Finds contacts by id or identifier and registers new ones. */
@Service
public class Contacts {

    private static final int REGISTER_ATTEMPTS = 3;
    /** The one order every path inserts identifiers in, so that two registrations never wait on each other in a cycle. */
    private static final Comparator<Identifier> CANONICAL =
            Comparator.comparing(Identifier::name).thenComparing(Identifier::value);

    private final JdbcContacts contacts;
    private final TransactionTemplate transactions;
    private final TransactionTemplate savepoint;
    private final Clock clock;

    Contacts(JdbcContacts contacts, TransactionTemplate transactions, Clock clock) {
        this.contacts = contacts;
        this.transactions = transactions;
        this.savepoint =
                new TransactionTemplate(java.util.Objects.requireNonNull(transactions.getTransactionManager()));
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
    }

    /**
     * Creates a contact with these identifiers, or returns the one they already name, adding the identifiers it lacks
     * and merging the attributes. Identifiers that name two contacts, or a second value for a name the contact already
     * has, are a {@link Conflict}. Safe under concurrency: identifiers are written in one canonical order whatever the
     * caller's (so concurrent registrations cannot deadlock), and a request that loses a race for an identifier, or is
     * chosen as a deadlock's victim all the same, retries and finds the winner's contact.
     */
    public Registration register(long workspaceId, List<Identifier> given, Map<String, Object> attributes) {
        List<Identifier> identifiers = given.stream().sorted(CANONICAL).toList();
        if (identifiers.isEmpty()) {
            throw new InvalidInput(
                    "identifiers", "a contact needs at least one of email, phone, externalId or identifiers");
        }
        FreeForm.check("attributes", attributes);
        // a retry needs a transaction of its own: inside a caller's, a failed statement has already doomed it
        boolean retryable = !TransactionSynchronizationManager.isActualTransactionActive();
        for (int attempt = 1; ; attempt++) {
            Optional<Registration> done;
            try {
                done = transactions.execute(status -> tryRegister(workspaceId, identifiers, attributes, status));
            } catch (PessimisticLockingFailureException e) {
                if (!retryable || attempt == REGISTER_ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            if (done != null && done.isPresent()) {
                return done.get();
            }
            if (attempt == REGISTER_ATTEMPTS) {
                throw new Conflict("the contact's identifiers kept changing concurrently; retry the request");
            }
        }
    }

    private Optional<Registration> tryRegister(
            long workspaceId,
            List<Identifier> identifiers,
            Map<String, Object> attributes,
            org.springframework.transaction.TransactionStatus status) {
        Instant now = clock.instant();
        Map<Identifier, Long> existing = contacts.findIdsByIdentifier(workspaceId, identifiers);
        Set<Long> named = new HashSet<>(existing.values());
        if (named.size() > 1) {
            throw new Conflict("these identifiers name different contacts: " + named);
        }
        boolean created = named.isEmpty();
        long id = created
                ? contacts.insertContact(workspaceId, attributes, now)
                : named.iterator().next();
        if (!created) {
            Contact current = get(workspaceId, id);
            for (Identifier identifier : identifiers) {
                String held = current.identifiers().get(identifier.name());
                if (held != null && !held.equals(identifier.value())) {
                    throw new Conflict("contact " + id + " already has a different " + identifier.name());
                }
            }
            if (!attributes.isEmpty()) {
                contacts.mergeAttributes(workspaceId, id, attributes, now);
            }
        }
        for (Identifier identifier : identifiers) {
            if (!existing.containsKey(identifier) && !contacts.insertIdentifier(workspaceId, identifier, id, now)) {
                // a concurrent request took it: start again and find its contact
                status.setRollbackOnly();
                return Optional.empty();
            }
        }
        return Optional.of(new Registration(get(workspaceId, id), created));
    }

    public Contact get(long workspaceId, long id) {
        return contacts.findById(workspaceId, id).orElseThrow(() -> new NotFound("no contact " + id));
    }

    public Optional<Contact> find(long workspaceId, Identifier identifier) {
        return Optional.ofNullable(contacts.findIdsByIdentifier(workspaceId, List.of(identifier))
                        .get(identifier))
                .flatMap(id -> contacts.findById(workspaceId, id));
    }

    /**
     * The contacts holding one of the values under any identifier name (email, phone, externalId or a custom one),
     * exact match, at most {@code limit}: an operator's search when the kind of identifier is not given.
     */
    public List<Contact> findByAnyIdentifier(long workspaceId, Collection<String> values, int limit) {
        if (values.isEmpty()) {
            return List.of();
        }
        return contacts.findIdsByValue(workspaceId, values, limit).stream()
                .flatMap(id -> contacts.findById(workspaceId, id).stream())
                .toList();
    }

    /** The contact ids the given identifiers name; identifiers that name none are absent from the map. */
    public Map<Identifier, Long> idsOf(long workspaceId, Collection<Identifier> identifiers) {
        return contacts.findIdsByIdentifier(workspaceId, identifiers);
    }

    /**
     * The contact ids the given identifiers name, creating in the caller's transaction a contact of its own for each
     * identifier in {@code create} that names none (a sign-up). The same rules as {@link #register}: identifiers are
     * written in the canonical order, and one a concurrent transaction is creating is waited for and then taken as
     * that transaction's contact, so two sign-ups of one new address make one contact.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Resolution idsOrCreate(long workspaceId, Collection<Identifier> identifiers, Collection<Identifier> create) {
        Map<Identifier, Long> ids = new HashMap<>(contacts.findIdsByIdentifier(workspaceId, identifiers));
        Set<Identifier> createdHere = new HashSet<>();
        for (int attempt = 1; attempt <= REGISTER_ATTEMPTS; attempt++) {
            List<Identifier> missing = create.stream()
                    .filter(identifier -> !ids.containsKey(identifier))
                    .distinct()
                    .sorted(CANONICAL)
                    .toList();
            if (missing.isEmpty()) {
                return new Resolution(ids, createdHere);
            }
            Instant now = clock.instant();
            List<Long> created = contacts.insertContacts(workspaceId, missing.size(), now);
            Set<Identifier> inserted = contacts.insertIdentifiers(workspaceId, missing, created, now);
            for (int i = 0; i < missing.size(); i++) {
                if (inserted.contains(missing.get(i))) {
                    ids.put(missing.get(i), created.get(i));
                    createdHere.add(missing.get(i));
                }
            }
            if (inserted.size() < missing.size()) {
                // lost to concurrent sign-ups, which have committed by now: drop the unused contacts, take theirs
                contacts.deleteUnidentified(workspaceId, created);
                List<Identifier> lost = missing.stream()
                        .filter(identifier -> !inserted.contains(identifier))
                        .toList();
                ids.putAll(contacts.findIdsByIdentifier(workspaceId, lost));
            }
        }
        if (create.stream().anyMatch(identifier -> !ids.containsKey(identifier))) {
            throw new Conflict("the contact's identifiers kept changing concurrently; retry the request");
        }
        return new Resolution(ids, createdHere);
    }

    /** The contact ids identifiers name, and which of them this transaction created a contact for. */
    public record Resolution(Map<Identifier, Long> ids, Set<Identifier> created) {}

    /**
     * Every contact that one of the identifiers names or one of the ids is, each with its identifiers by name, in one
     * query: what a dialect needs to resolve a batch and answer with each contact's addresses. Unknown ids and
     * identifiers that name no contact are absent.
     */
    public Map<Long, Map<String, String>> identifiersOf(
            long workspaceId, Collection<Identifier> identifiers, Collection<Long> ids) {
        return contacts.findIdentifiersOfNamed(workspaceId, identifiers, ids);
    }

    /**
     * A page of the ids, in order, of the contacts whose attribute {@code name} is the text {@code value}, after {@code
     * afterId}. A scan of the workspace's contacts: for occasional bulk work (Altcraft's suspend_all), not per request.
     */
    public List<Long> idsWithAttribute(long workspaceId, String name, String value, long afterId, int limit) {
        return contacts.findIdsWithAttribute(workspaceId, name, value, afterId, limit);
    }

    /** One attribute of each of the given contacts, as text; contacts without it are absent. */
    public Map<Long, String> attributeOf(long workspaceId, Collection<Long> ids, String name) {
        return contacts.findAttributeOf(workspaceId, ids, name);
    }

    /**
     * Takes the identifier from the contact (a recycled phone number, an email handed on), so that it names nobody
     * until it is registered again. False when the contact did not hold it.
     */
    public boolean detachIdentifier(long workspaceId, long contactId, Identifier identifier) {
        return contacts.deleteIdentifier(workspaceId, contactId, identifier);
    }

    /** A contact and whether this call created it. */
    public record Registration(Contact contact, boolean created) {}

    /**
     * What {@link #registerAll} did with one group of identifiers: the contact they name (and whether this call created
     * it), or, with no contact, why not (the {@link Conflict} {@link #register} would have thrown).
     */
    public record Registered(
            @Nullable Long contactId,
            boolean created,
            @Nullable String conflict) {}

    /**
     * {@link #register} for many groups of identifiers at once (without attributes), in the caller's transaction: each
     * group, in order, finds or creates its contact and adds the identifiers it lacks, exactly as one call of {@link
     * #register} per group after the other would, and a group whose identifiers name different contacts, or give a
     * contact a second value for a name, is answered with its conflict and changes nothing. Set-based whatever the
     * number of groups: one query reads the contacts the identifiers name, one insert creates the new contacts and one
     * inserts every new identifier, in the canonical order every path uses (so it cannot deadlock with {@link
     * #idsOrCreate} or {@link #register}); an identifier a concurrent transaction took meanwhile (that insert waits
     * for it) rolls this attempt back to its savepoint and the groups are decided again on what that transaction
     * committed, at most three times, then it is a {@link Conflict}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Registered> registerAll(long workspaceId, List<? extends Collection<Identifier>> groups) {
        for (Collection<Identifier> group : groups) {
            if (group.isEmpty()) {
                throw new InvalidInput(
                        "identifiers", "a contact needs at least one of email, phone, externalId or identifiers");
            }
        }
        for (int attempt = 1; attempt <= REGISTER_ATTEMPTS; attempt++) {
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
        Map<Identifier, Long> insert = new TreeMap<>(CANONICAL);
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
