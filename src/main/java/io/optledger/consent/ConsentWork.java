package io.optledger.consent;

import io.optledger.consent.ChangeOutcome.Rejected;
import io.optledger.consent.ConsentPolicy.Decision;
import io.optledger.consent.internal.JdbcLedger.ChainHead;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.platform.Timestamps;
import io.optledger.topic.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The writes of one workspace in progress: the state as the commands so far left it, and what is to be written. The
 * batches of a group commit share it, in arrival order, so a later request sees what an earlier one did.
 */
final class ConsentWork {
    final long workspaceId;
    final Map<Long, ChainHead> heads;
    final Map<SubscriptionKey, Subscription> state;
    final Instant now;
    // each contact's commitment key: its events are written in canonical form 2
    final Map<Long, byte[]> ledgerKeys;
    final List<ConsentEvent> events = new ArrayList<>();
    final Map<SubscriptionKey, Subscription> dirty = new LinkedHashMap<>();
    final List<Map.Entry<Long, Map<String, Object>>> changes = new ArrayList<>();
    final List<PendingOptInsRecorded.PendingOptIn> pending = new ArrayList<>();

    ConsentWork(
            long workspaceId,
            Map<Long, ChainHead> heads,
            Map<Long, byte[]> ledgerKeys,
            Map<SubscriptionKey, Subscription> state,
            Instant now) {
        this.workspaceId = workspaceId;
        this.ledgerKeys = ledgerKeys;
        this.heads = new HashMap<>(heads);
        this.state = state;
        this.now = now;
    }

    /** Decides one command; what asks for a confirmation goes to {@link #pending} until the caller takes it. */
    ChangeOutcome apply(ConsentCommand command, RequestContext context, SubscriptionKey key, Topic topic) {
        Subscription current = state.get(key);
        Instant occurredAt = command.occurredAt() == null ? now : Timestamps.micros(command.occurredAt());
        Instant until = command.suspendedUntil() == null ? null : Timestamps.micros(command.suspendedUntil());
        Decision decision = ConsentPolicy.decide(current, command.action(), topic, key.channel(), occurredAt, until);
        Status from = current == null ? null : current.status();
        return switch (decision) {
            case Decision.Reject reject
            when !reject.reason().isRecorded() ->
                new Rejected(reject.reason(), reject.message(), key.contactId(), null);
            case Decision.Reject reject -> {
                ConsentEvent event = record(
                        command,
                        context,
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
                        command,
                        context,
                        key,
                        EventOutcome.STALE,
                        null,
                        from,
                        from,
                        current.suspendedUntil(),
                        occurredAt);
                yield new ChangeOutcome.Stale(current, event.seq());
            }
            case Decision.Apply apply -> {
                boolean unchanged = ConsentPolicy.isUnchanged(current, apply);
                EventOutcome outcome = current == null
                        ? EventOutcome.CREATED
                        : unchanged ? EventOutcome.UNCHANGED : EventOutcome.CHANGED;
                ConsentEvent event = record(
                        command, context, key, outcome, null, from, apply.status(), apply.suspendedUntil(), occurredAt);
                Map<String, Object> properties = new LinkedHashMap<>(current == null ? Map.of() : current.properties());
                if (command.properties() != null) {
                    properties.putAll(command.properties());
                }
                Subscription live = ConsentPolicy.live(current);
                ConsentPolicy.ConsentTime time = ConsentPolicy.consentTime(
                        live == null ? null : ConsentPolicy.ConsentTime.of(live), command.action(), occurredAt, now);
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
                    pending.add(
                            new PendingOptInsRecorded.PendingOptIn(next, command.action(), from, command.provenance()));
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
            RequestContext context,
            SubscriptionKey key,
            EventOutcome outcome,
            @Nullable RejectReason rejectReason,
            @Nullable Status from,
            @Nullable Status to,
            @Nullable Instant suspendedUntil,
            Instant occurredAt) {
        ChainHead head = heads.get(key.contactId());
        Provenance provenance = command.provenance();
        ConsentEvent unsigned = new ConsentEvent(
                        workspaceId,
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
                        "")
                .committedWith(ledgerKeys.get(key.contactId()));
        ConsentEvent event = unsigned.withHash(LedgerHash.of(unsigned));
        heads.put(key.contactId(), new ChainHead(event.seq(), event.hash()));
        events.add(event);
        return event;
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
                event.suspendedUntil() == null ? null : event.suspendedUntil().toString());
        payload.put("occurredAt", event.occurredAt().toString());
        payload.put("recordedAt", event.recordedAt().toString());
        payload.put("source", event.source());
        // the ledger event's hash, so a receiver can check the change against the ledger (webhooks)
        payload.put("eventHash", event.hash());
        return Map.entry(event.contactId(), payload);
    }
}
