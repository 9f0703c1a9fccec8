package io.optledger.contact;

import io.optledger.contact.internal.JdbcContacts;
import io.optledger.platform.Conflict;
import io.optledger.platform.FreeForm;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Finds contacts by id or identifier and registers new ones (many at once: {@link BulkRegistration}). */
@Service
public class Contacts {

    static final int REGISTER_ATTEMPTS = 3;
    /** The one order every path inserts identifiers in, so that two registrations never wait on each other in a cycle. */
    static final Comparator<Identifier> CANONICAL =
            Comparator.comparing(Identifier::name).thenComparing(Identifier::value);

    private final JdbcContacts contacts;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Contacts(JdbcContacts contacts, TransactionTemplate transactions, Clock clock) {
        this.contacts = contacts;
        this.transactions = transactions;
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
}
