package io.optledger.consent;

import io.optledger.access.Workspaces;
import io.optledger.consent.ChangeOutcome.Rejected;
import io.optledger.consent.ConsentPolicy.Decision;
import io.optledger.consent.internal.JdbcConsentBatch;
import io.optledger.consent.internal.JdbcLedger.ChainHead;
import io.optledger.consent.internal.JdbcSubscriptions;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.contact.Channel;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.Timestamps;
import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies consent batches: the one write path of the service.
 *
 * <p>In one transaction it resolves the contacts, locks them (so concurrent changes to one contact are serialised and
 * its hash chain stays linear), decides each command with {@link ConsentPolicy}, appends a ledger event for every
 * attempt on a known subscription, upserts the changed state and enqueues an outbox event per change. Input that can
 * never be valid (a malformed address, a time out of range or ahead of the clock by more than the allowed skew) fails
 * the whole batch before anything is written. The subscriptions a batch leaves PENDING by an opt-in request are
 * published, in the transaction, as {@link PendingOptInsRecorded}: double opt-in asks for their confirmation.
 */
@Service
public class ConsentService {

    static final String CHANGE_EVENT = "subscription.changed";

    private static final JdbcConsentBatch.Locked EMPTY = new JdbcConsentBatch.Locked(Map.of(), Map.of(), List.of());

    private final Workspaces workspaces;
    private final Contacts contacts;
    private final Topics topics;
    private final JdbcSubscriptions subscriptions;
    private final JdbcConsentBatch store;
    private final Invalidations invalidations;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;
    private final Duration maxClockSkew;

    ConsentService(
            Workspaces workspaces,
            Contacts contacts,
            Topics topics,
            JdbcSubscriptions subscriptions,
            JdbcConsentBatch store,
            Invalidations invalidations,
            ApplicationEventPublisher publisher,
            Clock clock,
            @Value("${optledger.consent.max-clock-skew:5m}") Duration maxClockSkew) {
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("optledger.consent.max-clock-skew cannot be negative: " + maxClockSkew);
        }
        this.workspaces = workspaces;
        this.contacts = contacts;
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.store = store;
        this.invalidations = invalidations;
        this.publisher = publisher;
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    /**
     * One outcome per command, in order. Atomic: on an exception nothing of the batch is written. Each change is
     * recorded with its {@code occurredAt} (the command's, or now) and the time it was received; an
     * {@code occurredAt} or {@code suspendedUntil} out of {@link Timestamps}' range, or an {@code occurredAt} ahead of
     * the clock by more than {@code optledger.consent.max-clock-skew}, is an {@link InvalidInput} naming
     * {@code items[i].occurredAt} or {@code items[i].suspendedUntil}.
     */
    @Transactional
    public List<ChangeOutcome> apply(ConsentBatch batch) {
        checkTimes(batch.commands());
        long workspaceId = batch.workspaceId();
        String region = workspaces.defaultRegion(workspaceId);
        Map<String, Topic> topicsByKey = topics.byKey(workspaceId);
        Map<ContactRef, Long> named = resolveContacts(workspaceId, batch.commands());
        Set<Long> ids = new TreeSet<>(named.values());

        // the lock also tells which of the ids named directly exist in this workspace
        JdbcConsentBatch.Locked locked = ids.isEmpty() ? EMPTY : store.lock(workspaceId, ids);
        Map<SubscriptionKey, Subscription> state = new HashMap<>();
        for (Subscription s : locked.subscriptions()) {
            state.put(s.key(), s);
        }

        // read after the lock: a change that waited for another one to the same contact is received after it
        Instant now = Timestamps.micros(clock.instant());
        Work work = new Work(batch, locked.heads(), state, now);
        List<ChangeOutcome> outcomes = new ArrayList<>(batch.commands().size());
        for (int i = 0; i < batch.commands().size(); i++) {
            ConsentCommand command = batch.commands().get(i);
            Long contactId = named.get(command.contact());
            Topic topic = topicsByKey.get(command.topic());
            if (contactId == null || !locked.heads().containsKey(contactId)) {
                outcomes.add(new Rejected(RejectReason.CONTACT_NOT_FOUND, "no such contact", null, null));
                continue;
            }
            if (topic == null) {
                outcomes.add(new Rejected(
                        RejectReason.UNKNOWN_TOPIC, "no topic '" + command.topic() + "'", contactId, null));
                continue;
            }
            String address = address(command, locked.ownAddresses().get(contactId), region, i);
            if (address == null) {
                outcomes.add(new Rejected(
                        RejectReason.NO_ADDRESS,
                        "the contact has no " + command.channel() + " address; give one",
                        contactId,
                        null));
                continue;
            }
            outcomes.add(work.apply(
                    command, new SubscriptionKey(contactId, command.channel(), address, topic.key()), topic));
        }

        if (!work.events.isEmpty()) {
            String[] invalidated = invalidations.prepare(work.dirty.keySet().stream()
                    .map(key -> Invalidation.address(workspaceId, key.channel().name(), key.address()))
                    .distinct()
                    .toList());
            store.write(
                    workspaceId,
                    new JdbcConsentBatch.Writes(
                            work.events, work.heads, work.dirty.values(), work.changes, CHANGE_EVENT, invalidated),
                    now,
                    batch.context());
        }
        if (!work.pending.isEmpty()) {
            // synchronous, in this transaction: what listeners queue commits or rolls back with the batch
            publisher.publishEvent(new PendingOptInsRecorded(workspaceId, batch.context(), work.pending));
        }
        return outcomes;
    }

    /** The state of every subscription of a contact that has one. */
    @Transactional(readOnly = true)
    public List<Subscription> subscriptionsOf(long workspaceId, long contactId) {
        contacts.get(workspaceId, contactId);
        return subscriptions.findOfContacts(workspaceId, List.of(contactId));
    }

    /** The state of every subscription of the given contacts (of this workspace) that has one. */
    @Transactional(readOnly = true)
    public List<Subscription> subscriptionsOf(long workspaceId, Collection<Long> contactIds) {
        return subscriptions.findOfContacts(workspaceId, contactIds);
    }

    /**
     * Every subscription, to any topic, at the given (already normalised) channel addresses, whichever contacts hold
     * them. {@code channels} and {@code addresses} pair up by index.
     */
    @Transactional(readOnly = true)
    public List<Subscription> subscriptionsAt(long workspaceId, List<Channel> channels, List<String> addresses) {
        return subscriptions.findAtAddresses(workspaceId, channels, addresses);
    }

    /**
     * A page of a topic's subscriptions in id order, each with its id; pass the last id as {@code afterId} for the next
     * page. Ids are opaque, so the order is stable but not that of creation.
     */
    @Transactional(readOnly = true)
    public List<Map.Entry<Long, Subscription>> subscriptionsOfTopic(TopicSubscriptions which, long afterId, int limit) {
        return subscriptions.findOfTopic(which, afterId, limit);
    }

    @Transactional(readOnly = true)
    public long countOfTopic(TopicSubscriptions which) {
        return subscriptions.countOfTopic(which);
    }

    private Map<ContactRef, Long> resolveContacts(long workspaceId, List<ConsentCommand> commands) {
        Set<Long> byId = new LinkedHashSet<>();
        Set<Identifier> byIdentifier = new LinkedHashSet<>();
        for (ConsentCommand command : commands) {
            switch (command.contact()) {
                case ContactRef.ById ref -> byId.add(ref.id());
                case ContactRef.ByIdentifier ref -> byIdentifier.add(ref.identifier());
            }
        }
        Map<ContactRef, Long> resolved = new HashMap<>();
        for (Long id : byId) {
            resolved.put(ContactRef.id(id), id);
        }
        contacts.idsOf(workspaceId, byIdentifier)
                .forEach((identifier, id) -> resolved.put(ContactRef.identifier(identifier), id));
        return resolved;
    }

    private static @Nullable String address(
            ConsentCommand command, @Nullable Map<String, String> own, String region, int index) {
        Channel channel = command.channel();
        if (command.address() != null) {
            try {
                return channel.normaliseAddress(command.address(), region);
            } catch (InvalidInput e) {
                throw new InvalidInput("items[" + index + "].address", e.getMessage());
            }
        }
        String identifier = channel.defaultIdentifier();
        return identifier == null || own == null ? null : own.get(identifier);
    }

    /** Refuses a batch with a time no change can carry: out of range, or an occurredAt in the future beyond the skew. */
    private void checkTimes(List<ConsentCommand> commands) {
        Instant now = clock.instant();
        Instant latest = now.plus(maxClockSkew);
        for (int i = 0; i < commands.size(); i++) {
            ConsentCommand command = commands.get(i);
            if (command.occurredAt() != null) {
                String field = "items[" + i + "].occurredAt";
                Timestamps.checked(field, command.occurredAt());
                if (command.occurredAt().isAfter(latest)) {
                    throw new InvalidInput(
                            field,
                            command.occurredAt() + " is in the future: a change can be dated at most " + maxClockSkew
                                    + " ahead of the server's clock (" + now + ")");
                }
            }
            if (command.suspendedUntil() != null) {
                Timestamps.checked("items[" + i + "].suspendedUntil", command.suspendedUntil());
            }
        }
    }

    /** The batch in progress: the state as the commands so far left it, and what is to be written. */
    private static final class Work {
        final ConsentBatch batch;
        final Map<Long, ChainHead> heads;
        final Map<SubscriptionKey, Subscription> state;
        final Instant now;
        final List<ConsentEvent> events = new ArrayList<>();
        final Map<SubscriptionKey, Subscription> dirty = new LinkedHashMap<>();
        final List<Map.Entry<Long, Map<String, Object>>> changes = new ArrayList<>();
        final List<PendingOptInsRecorded.PendingOptIn> pending = new ArrayList<>();

        Work(ConsentBatch batch, Map<Long, ChainHead> heads, Map<SubscriptionKey, Subscription> state, Instant now) {
            this.batch = batch;
            this.heads = new HashMap<>(heads);
            this.state = state;
            this.now = now;
        }

        ChangeOutcome apply(ConsentCommand command, SubscriptionKey key, Topic topic) {
            Subscription current = state.get(key);
            Instant occurredAt = command.occurredAt() == null ? now : Timestamps.micros(command.occurredAt());
            Instant until = command.suspendedUntil() == null ? null : Timestamps.micros(command.suspendedUntil());
            Decision decision =
                    ConsentPolicy.decide(current, command.action(), topic, key.channel(), occurredAt, until);
            Status from = current == null ? null : current.status();
            return switch (decision) {
                case Decision.Reject reject
                when !reject.reason().isRecorded() ->
                    new Rejected(reject.reason(), reject.message(), key.contactId(), null);
                case Decision.Reject reject -> {
                    ConsentEvent event = record(
                            command,
                            key,
                            EventOutcome.REJECTED,
                            reject.reason(),
                            from,
                            from,
                            current == null ? null : current.suspendedUntil(),
                            occurredAt);
                    yield new Rejected(reject.reason(), reject.message(), key.contactId(), event.seq());
                }
                case Decision.Stale stale -> {
                    ConsentEvent event = record(
                            command, key, EventOutcome.STALE, null, from, from, current.suspendedUntil(), occurredAt);
                    yield new ChangeOutcome.Stale(current, event.seq());
                }
                case Decision.Apply apply -> {
                    boolean unchanged = ConsentPolicy.isUnchanged(current, apply);
                    EventOutcome outcome = current == null
                            ? EventOutcome.CREATED
                            : unchanged ? EventOutcome.UNCHANGED : EventOutcome.CHANGED;
                    ConsentEvent event = record(
                            command, key, outcome, null, from, apply.status(), apply.suspendedUntil(), occurredAt);
                    Map<String, Object> properties =
                            new LinkedHashMap<>(current == null ? Map.of() : current.properties());
                    if (command.properties() != null) {
                        properties.putAll(command.properties());
                    }
                    Subscription live = ConsentPolicy.live(current);
                    ConsentPolicy.ConsentTime time = ConsentPolicy.consentTime(
                            live == null ? null : ConsentPolicy.ConsentTime.of(live),
                            command.action(),
                            occurredAt,
                            now);
                    Subscription next = new Subscription(
                            key.contactId(),
                            key.channel(),
                            key.address(),
                            key.topic(),
                            apply.status(),
                            apply.suspendedUntil(),
                            time.occurredAt(),
                            command.provenance().source(),
                            time.receivedAt(),
                            apply.deleted(),
                            properties);
                    state.put(key, next);
                    dirty.put(key, next);
                    if (!unchanged && !command.quiet()) {
                        changes.add(change(event));
                    }
                    if (asksConfirmation(command.action(), next)) {
                        pending.add(new PendingOptInsRecorded.PendingOptIn(
                                next, command.action(), from, command.provenance()));
                    }
                    yield switch (outcome) {
                        case CREATED -> new ChangeOutcome.Created(next, event.seq());
                        case UNCHANGED -> new ChangeOutcome.Unchanged(next, event.seq());
                        default -> new ChangeOutcome.Changed(from, next, event.seq());
                    };
                }
            };
        }

        /** A request for an opt-in that left the subscription awaiting its confirmation (new, changed or again). */
        private static boolean asksConfirmation(Action action, Subscription next) {
            return (action == Action.REQUEST_OPT_IN || action == Action.AWAIT_CONFIRMATION)
                    && next.status() == Status.PENDING
                    && !next.deleted();
        }

        private ConsentEvent record(
                ConsentCommand command,
                SubscriptionKey key,
                EventOutcome outcome,
                @Nullable RejectReason rejectReason,
                @Nullable Status from,
                @Nullable Status to,
                @Nullable Instant suspendedUntil,
                Instant occurredAt) {
            ChainHead head = heads.get(key.contactId());
            Provenance provenance = command.provenance();
            RequestContext context = batch.context();
            ConsentEvent unsigned = new ConsentEvent(
                    batch.workspaceId(),
                    key.contactId(),
                    head.seq() + 1,
                    key.channel(),
                    key.address(),
                    key.topic(),
                    command.action(),
                    outcome,
                    rejectReason,
                    from,
                    to,
                    suspendedUntil,
                    occurredAt,
                    now,
                    provenance.source(),
                    provenance.reason(),
                    provenance.campaignId(),
                    provenance.communicationId(),
                    provenance.signUpUnit(),
                    context.ip(),
                    context.userAgent(),
                    context.apiKeyId(),
                    context.requestId(),
                    provenance.details(),
                    head.hash(),
                    "");
            ConsentEvent event = withHash(unsigned, LedgerHash.of(unsigned));
            heads.put(key.contactId(), new ChainHead(event.seq(), event.hash()));
            events.add(event);
            return event;
        }

        private static ConsentEvent withHash(ConsentEvent e, String hash) {
            return new ConsentEvent(
                    e.workspaceId(),
                    e.contactId(),
                    e.seq(),
                    e.channel(),
                    e.address(),
                    e.topic(),
                    e.action(),
                    e.outcome(),
                    e.rejectReason(),
                    e.from(),
                    e.to(),
                    e.suspendedUntil(),
                    e.occurredAt(),
                    e.recordedAt(),
                    e.source(),
                    e.reason(),
                    e.campaignId(),
                    e.communicationId(),
                    e.signUpUnit(),
                    e.ip(),
                    e.userAgent(),
                    e.apiKeyId(),
                    e.requestId(),
                    e.details(),
                    e.prevHash(),
                    hash);
        }

        private static Map.Entry<Long, Map<String, Object>> change(ConsentEvent event) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("workspaceId", event.workspaceId());
            payload.put("contactId", event.contactId());
            payload.put("eventSeq", event.seq());
            payload.put("channel", event.channel().name());
            payload.put("address", event.address());
            payload.put("topic", event.topic());
            payload.put("from", event.from() == null ? null : event.from().name());
            payload.put("to", event.to() == null ? null : event.to().name());
            payload.put("action", event.action().name());
            payload.put(
                    "suspendedUntil",
                    event.suspendedUntil() == null
                            ? null
                            : event.suspendedUntil().toString());
            payload.put("occurredAt", event.occurredAt().toString());
            payload.put("recordedAt", event.recordedAt().toString());
            payload.put("source", event.source());
            // the ledger event's hash, so a receiver can check the change against the ledger (webhooks)
            payload.put("eventHash", event.hash());
            return Map.entry(event.contactId(), payload);
        }
    }
}
