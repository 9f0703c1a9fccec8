package io.optledger.consent;

import io.optledger.access.Workspaces;
import io.optledger.consent.ChangeOutcome.Rejected;
import io.optledger.consent.internal.JdbcConsentBatch;
import io.optledger.consent.internal.JdbcConsentWrite;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.Timestamps;
import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Applies consent batches: the one write path of the service.
 *
 * <p>In one transaction it resolves the contacts, locks them (so concurrent changes to one contact are serialised and
 * its hash chain stays linear), decides each command with {@link ConsentPolicy}, appends a ledger event for every
 * attempt on a known subscription, upserts the changed state and enqueues an outbox event per change. Input that can
 * never be valid (a malformed address, a time out of range or ahead of the clock by more than the allowed skew) fails
 * the whole batch before anything is written. The subscriptions a batch leaves PENDING by an opt-in request are
 * published, in the transaction, as {@link PendingOptInsRecorded}: double opt-in asks for their confirmation. The
 * state it leaves is read through {@link ConsentReads}.
 */
@Service
public class ConsentService {

    static final String CHANGE_EVENT = "subscription.changed";

    private static final JdbcConsentBatch.Locked EMPTY =
            new JdbcConsentBatch.Locked(Map.of(), Map.of(), List.of(), Map.of(), Map.of());

    private final Workspaces workspaces;
    private final NamedContacts namedContacts;
    private final Topics topics;
    private final JdbcConsentBatch store;
    private final JdbcConsentWrite writer;
    private final Invalidations invalidations;
    private final ApplicationEventPublisher publisher;
    private final ConsentTransactions transactions;
    private final CommandChecks checks;
    private final Clock clock;

    ConsentService(
            Workspaces workspaces,
            NamedContacts namedContacts,
            Topics topics,
            JdbcConsentBatch store,
            JdbcConsentWrite writer,
            Invalidations invalidations,
            ApplicationEventPublisher publisher,
            ConsentTransactions transactions,
            CommandChecks checks,
            Clock clock) {
        this.workspaces = workspaces;
        this.namedContacts = namedContacts;
        this.topics = topics;
        this.store = store;
        this.writer = writer;
        this.invalidations = invalidations;
        this.publisher = publisher;
        this.transactions = transactions;
        this.checks = checks;
        this.clock = clock;
    }

    /**
     * One outcome per command, in order. Atomic: on an exception nothing of the batch is written. Each change is
     * recorded with its {@code occurredAt} (the command's, or now) and the time it was received; an
     * {@code occurredAt} or {@code suspendedUntil} out of {@link Timestamps}' range, or an {@code occurredAt} ahead of
     * the clock by more than {@code optledger.consent.max-clock-skew}, is an {@link InvalidInput} naming
     * {@code items[i].occurredAt} or {@code items[i].suspendedUntil}. Joins the caller's transaction; without one it
     * runs in its own, retried when chosen as a deadlock's victim.
     */
    public List<ChangeOutcome> apply(ConsentBatch batch) {
        return apply(batch, outcomes -> outcomes);
    }

    /**
     * {@link #apply(ConsentBatch)}, then {@code then} with the outcomes in the same transaction (to store an
     * idempotent response with the change it answers); its result.
     */
    public <R> R apply(ConsentBatch batch, Function<List<ChangeOutcome>, R> then) {
        return applySeeingBefore(batch, applied -> then.apply(applied.outcomes()));
    }

    /** {@link #apply(ConsentBatch, Function)}, {@code then} also given what the batch's contacts had before it. */
    public <R> R applySeeingBefore(ConsentBatch batch, Function<Applied, R> then) {
        return transactions.inTransaction(
                () -> then.apply(applyAll(List.of(batch)).getFirst()));
    }

    /**
     * Refuses a batch no transaction could apply: a time out of range or too far ahead of the clock, an address that
     * is not one. What a group commit checks before it queues a request, so bad input fails only its own request.
     */
    public void validate(ConsentBatch batch) {
        checks.times(batch.commands());
        String region = workspaces.defaultRegion(batch.workspaceId());
        Map<String, String> normalised = new HashMap<>();
        for (int i = 0; i < batch.commands().size(); i++) {
            ConsentCommand command = batch.commands().get(i);
            if (command.address() != null) {
                CommandChecks.address(command, null, region, i, normalised);
            }
        }
    }

    /**
     * Applies batches in the caller's transaction, in order, each as if alone after the ones before it: the outcomes
     * of each. Each workspace's contacts are locked together in id order (workspaces in id order), so a group is
     * ordered as any single batch is.
     */
    List<Applied> applyAll(List<ConsentBatch> batches) {
        List<Applied> outcomes = new ArrayList<>(batches.size());
        Map<Long, List<Integer>> byWorkspace = new java.util.TreeMap<>();
        for (int i = 0; i < batches.size(); i++) {
            checks.times(batches.get(i).commands());
            byWorkspace
                    .computeIfAbsent(batches.get(i).workspaceId(), ws -> new ArrayList<>())
                    .add(i);
            outcomes.add(null);
        }
        byWorkspace.forEach((workspaceId, indexes) -> {
            List<ConsentBatch> ofWorkspace = indexes.stream().map(batches::get).toList();
            List<Applied> done = applyInWorkspace(workspaceId, ofWorkspace);
            for (int i = 0; i < indexes.size(); i++) {
                outcomes.set(indexes.get(i), done.get(i));
            }
        });
        return outcomes;
    }

    private List<Applied> applyInWorkspace(long workspaceId, List<ConsentBatch> batches) {
        String region = workspaces.defaultRegion(workspaceId);
        Map<String, Topic> topicsByKey = topics.byKey(workspaceId);
        NamedContacts.Resolution contactsNamed = namedContacts.resolve(workspaceId, batches);
        Set<Long> ids = new TreeSet<>(contactsNamed.ids().values());

        // the lock also tells which of the ids named directly exist in this workspace
        List<String> conditioned = batches.stream()
                .map(ConsentBatch::contactsHave)
                .filter(Objects::nonNull)
                .map(ConsentBatch.ContactAttribute::name)
                .distinct()
                .toList();
        JdbcConsentBatch.Locked locked = ids.isEmpty() ? EMPTY : store.lock(workspaceId, ids, conditioned);
        Map<SubscriptionKey, Subscription> state = new HashMap<>();
        for (Subscription s : locked.subscriptions()) {
            state.put(s.key(), s);
        }

        // read after the lock: a change that waited for another one to the same contact is received after it
        Instant now = Timestamps.micros(clock.instant());
        ConsentWork work = new ConsentWork(workspaceId, locked.heads(), locked.ledgerKeys(), state, now);
        // a contact's commands repeat its addresses (an import's rows most of all): each is normalised once here
        Map<String, String> normalised = new HashMap<>();
        List<Applied> outcomes = new ArrayList<>(batches.size());
        List<List<PendingOptInsRecorded.PendingOptIn>> pending = new ArrayList<>(batches.size());
        for (int b = 0; b < batches.size(); b++) {
            ConsentBatch batch = batches.get(b);
            List<Subscription> before = before(work, contactsNamed, b, batch);
            List<ChangeOutcome> ofBatch = new ArrayList<>(batch.commands().size());
            for (int i = 0; i < batch.commands().size(); i++) {
                ConsentCommand command = batch.commands().get(i);
                Long contactId = contactsNamed.of(b, command.contact());
                Topic topic = topicsByKey.get(command.topic());
                if (contactId == null
                        || !locked.heads().containsKey(contactId)
                        || !meets(batch.contactsHave(), locked.attributes().get(contactId))) {
                    ofBatch.add(new Rejected(RejectReason.CONTACT_NOT_FOUND, "no such contact", null, null));
                    continue;
                }
                if (topic == null) {
                    ofBatch.add(new Rejected(
                            RejectReason.UNKNOWN_TOPIC, "no topic '" + command.topic() + "'", contactId, null));
                    continue;
                }
                String address =
                        CommandChecks.address(command, locked.ownAddresses().get(contactId), region, i, normalised);
                if (address == null) {
                    ofBatch.add(new Rejected(
                            RejectReason.NO_ADDRESS,
                            "the contact has no " + command.channel() + " address; give one",
                            contactId,
                            null));
                    continue;
                }
                ofBatch.add(work.apply(
                        command,
                        batch.context(),
                        new SubscriptionKey(contactId, command.channel(), address, topic.key()),
                        topic));
            }
            outcomes.add(new Applied(ofBatch, before));
            pending.add(List.copyOf(work.pending));
            work.pending.clear();
        }

        if (!work.events.isEmpty()) {
            String[] invalidated = invalidations.prepare(work.dirty.keySet().stream()
                    .map(key -> Invalidation.address(workspaceId, key.channel().name(), key.address()))
                    .distinct()
                    .toList());
            writer.write(
                    workspaceId,
                    new JdbcConsentWrite.Writes(
                            work.events, work.heads, work.dirty.values(), work.changes, CHANGE_EVENT, invalidated),
                    now);
        }
        for (int b = 0; b < batches.size(); b++) {
            if (!pending.get(b).isEmpty()) {
                // synchronous, in this transaction: what listeners queue commits or rolls back with the batch
                publisher.publishEvent(
                        new PendingOptInsRecorded(workspaceId, batches.get(b).context(), pending.get(b)));
            }
        }
        return outcomes;
    }

    /** Whether a contact with these attributes (of those the group's conditions name) meets a batch's condition. */
    private static boolean meets(
            ConsentBatch.@Nullable ContactAttribute condition, @Nullable Map<String, String> attributes) {
        return condition == null || (attributes != null && condition.value().equals(attributes.get(condition.name())));
    }

    /** The subscriptions the batch's contacts have as the batches before it in the group left them. */
    private static List<Subscription> before(
            ConsentWork work, NamedContacts.Resolution contactsNamed, int index, ConsentBatch batch) {
        Set<Long> contacts = new HashSet<>();
        for (ConsentCommand command : batch.commands()) {
            Long id = contactsNamed.of(index, command.contact());
            if (id != null) {
                contacts.add(id);
            }
        }
        List<Subscription> before = new ArrayList<>();
        for (Subscription subscription : work.state.values()) {
            if (contacts.contains(subscription.contactId())) {
                before.add(subscription);
            }
        }
        return before;
    }
}
