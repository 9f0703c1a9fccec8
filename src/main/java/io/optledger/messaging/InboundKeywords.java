package io.optledger.messaging;

import io.optledger.access.Workspaces;
import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.ConsentService;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.consent.SubscriptionKey;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.contact.PhoneNumbers;
import io.optledger.messaging.internal.JdbcKeywordStops;
import io.optledger.messaging.internal.JdbcKeywordStops.Stopped;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import io.optledger.suppression.Suppressions;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a text sent to us means, by its {@link Keyword}. The opt-out words opt the number out of every SMS marketing
 * topic of the workspace, for every contact holding it (defaults and never-asked topics included, so a later-arriving
 * opt-in dated before the STOP is stale), cancel the unsent texts about subscriptions, and answer one confirmation;
 * STOPALL also suppresses the number. START and UNSTOP undo exactly that: they lift a keyword's suppression (no other)
 * and opt back in to what the STOPs moved out of a receiving state, where nothing else has opted it out since. Y or
 * YES confirms pending opt-ins and does nothing else. HELP and INFO answer the help text. Every consent change is a
 * ledger event with source {@code sms-keyword}; replies are queued in the same transaction.
 */
@Service
public class InboundKeywords {

    static final String SOURCE = "sms-keyword";

    private final ConsentService consent;
    private final ConsentReads reads;
    private final Contacts contacts;
    private final Topics topics;
    private final Suppressions suppressions;
    private final Messages messages;
    private final JdbcKeywordStops stops;
    private final Workspaces workspaces;
    private final TransactionTemplate transactions;
    private final Clock clock;

    InboundKeywords(
            ConsentService consent,
            ConsentReads reads,
            Contacts contacts,
            Topics topics,
            Suppressions suppressions,
            Messages messages,
            JdbcKeywordStops stops,
            Workspaces workspaces,
            TransactionTemplate transactions,
            Clock clock) {
        this.consent = consent;
        this.reads = reads;
        this.contacts = contacts;
        this.topics = topics;
        this.suppressions = suppressions;
        this.messages = messages;
        this.stops = stops;
        this.workspaces = workspaces;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What an inbound text did: the keyword it was read as, and how many subscriptions it changed. */
    public record Handled(String keyword, String action, int changed) {}

    public Handled handle(long workspaceId, String from, String body, RequestContext context) {
        String number = PhoneNumbers.normalise(from, workspaces.defaultRegion(workspaceId));
        Keyword keyword = Keyword.read(body);
        return transactions.execute(tx -> {
            Texted texted = new Texted(
                    workspaceId,
                    number,
                    keyword,
                    context,
                    // a detached subscription is the number's former owner's: a text from the number is not theirs
                    reads.subscriptionsAt(workspaceId, List.of(Channel.SMS), List.of(number)).stream()
                            .filter(s -> s.status() != Status.DETACHED)
                            .toList(),
                    topics.byKey(workspaceId),
                    locale(workspaceId, number));
            return switch (keyword.kind()) {
                case OPT_OUT, OPT_OUT_ALL -> stop(texted);
                case RESUME -> resume(texted);
                case CONFIRM -> confirm(texted);
                case HELP -> {
                    reply(texted, MessageTemplate.HELP, "");
                    yield new Handled(keyword.text(), "help", 0);
                }
                case NONE -> new Handled(keyword.text(), "none", 0);
            };
        });
    }

    private Handled stop(Texted t) {
        Set<Long> holders = new TreeSet<>();
        t.held().forEach(s -> holders.add(s.contactId()));
        Identifier phone = new Identifier(Identifier.PHONE, t.number());
        contacts.find(t.workspaceId(), phone).map(Contact::id).ifPresent(holders::add);
        if (holders.isEmpty()) {
            // an opt-out is recorded even from a number no contact holds yet, so that it is on the ledger and binds
            holders.add(contacts.register(t.workspaceId(), List.of(phone), Map.of())
                    .contact()
                    .id());
        }
        List<Topic> marketing = t.topics().values().stream()
                .filter(topic -> topic.kind() == TopicKind.MARKETING && !topic.mandatory())
                .sorted(Comparator.comparing(Topic::key))
                .toList();
        List<ConsentCommand> commands = new ArrayList<>(holders.size() * marketing.size());
        for (long contact : holders) {
            for (Topic topic : marketing) {
                commands.add(t.command(contact, topic.key(), Action.OPT_OUT, null));
            }
        }
        List<ChangeOutcome> outcomes = apply(t, commands);
        Map<SubscriptionKey, Subscription> before = t.byKey();
        Instant now = clock.instant();
        int changed = 0;
        for (ChangeOutcome outcome : outcomes) {
            Subscription after = switch (outcome) {
                case ChangeOutcome.Created created -> created.subscription();
                case ChangeOutcome.Changed moved -> moved.subscription();
                default -> null;
            };
            if (after == null) {
                continue;
            }
            Subscription was = before.get(after.key());
            boolean receiving = was == null
                    ? t.topics().get(after.topic()).defaultOptIn()
                    : !was.deleted() && (was.status() == Status.SUBSCRIBED || was.status() == Status.SUSPENDED);
            if (receiving) {
                stops.record(
                        t.workspaceId(),
                        t.number(),
                        new Stopped(
                                after.contactId(),
                                after.topic(),
                                was == null ? null : was.status(),
                                was == null ? null : was.suspendedUntil(),
                                now));
            }
            if (receiving || (was != null && was.status() == Status.PENDING)) {
                changed++;
            }
        }
        if (t.keyword().kind() == Keyword.Kind.OPT_OUT_ALL
                && suppressions.findAll(t.workspaceId(), List.of(Channel.SMS), List.of(t.number())).stream()
                        .allMatch(s -> s.reason() == SuppressionReason.ERASED)) {
            // a suppression already there (a legal hold, a complaint) stays as it is: START must not lift it; an
            // erasure's tombstone keeps only marketing away, so STOPALL still suppresses the number
            suppressions.suppress(
                    t.workspaceId(),
                    Channel.SMS,
                    t.number(),
                    SuppressionReason.KEYWORD,
                    "STOPALL",
                    t.context().actor(SOURCE, t.keyword().text()));
        }
        messages.cancelSubscriptionTexts(
                t.workspaceId(), Channel.SMS, t.number(), t.keyword().text());
        reply(t, MessageTemplate.UNSUBSCRIBED, "");
        return new Handled(t.keyword().text(), "opted_out", changed);
    }

    private Handled resume(Texted t) {
        List<Suppression> suppressed = suppressions.findAll(t.workspaceId(), List.of(Channel.SMS), List.of(t.number()));
        if (!suppressed.isEmpty() && suppressed.getFirst().reason() == SuppressionReason.KEYWORD) {
            suppressions.lift(
                    t.workspaceId(),
                    Channel.SMS,
                    t.number(),
                    t.context().actor(SOURCE, t.keyword().text()));
        }
        Map<SubscriptionKey, Subscription> current = t.byKey();
        Instant now = clock.instant();
        List<ConsentCommand> commands = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        for (Stopped stopped : stops.take(t.workspaceId(), t.number())) {
            Subscription s =
                    current.get(new SubscriptionKey(stopped.contactId(), Channel.SMS, t.number(), stopped.topic()));
            // only while the state is still the one a keyword left: an opt-out given since by other means stays
            if (s == null || s.deleted() || s.status() != Status.UNSUBSCRIBED || !SOURCE.equals(s.source())) {
                continue;
            }
            commands.add(t.command(stopped.contactId(), stopped.topic(), Action.OPT_IN, null));
            restored.add(stopped.topic());
            Instant until = stopped.suspendedUntil();
            if (stopped.from() == Status.SUSPENDED && (until == null || until.isAfter(now))) {
                commands.add(t.command(stopped.contactId(), stopped.topic(), Action.SUSPEND, until));
            }
        }
        int changed = 0;
        for (ChangeOutcome outcome : apply(t, commands)) {
            if (outcome instanceof ChangeOutcome.Changed moved && moved.from() == Status.UNSUBSCRIBED) {
                changed++;
            }
        }
        reply(t, MessageTemplate.CONFIRMED, restored.isEmpty() ? "" : t.unitName(restored.getFirst()));
        return new Handled(t.keyword().text(), "resumed", changed);
    }

    private Handled confirm(Texted t) {
        List<Subscription> pending = t.held().stream()
                .filter(s -> s.status() == Status.PENDING && !s.deleted())
                .toList();
        if (pending.isEmpty()) {
            // a bare Y with nothing to confirm changes nothing
            return new Handled(t.keyword().text(), "none", 0);
        }
        List<ConsentCommand> commands = pending.stream()
                .map(s -> t.command(s.contactId(), s.topic(), Action.CONFIRM, null))
                .toList();
        int changed = 0;
        for (ChangeOutcome outcome : apply(t, commands)) {
            if (outcome instanceof ChangeOutcome.Changed) {
                changed++;
            }
        }
        reply(t, MessageTemplate.CONFIRMED, t.unitName(pending.getFirst().topic()));
        return new Handled(t.keyword().text(), "confirmed", changed);
    }

    /** Applies any number of commands, in batches of at most {@link ConsentBatch#MAX_COMMANDS}, in one transaction. */
    private List<ChangeOutcome> apply(Texted t, List<ConsentCommand> commands) {
        List<ChangeOutcome> outcomes = new ArrayList<>(commands.size());
        for (int from = 0; from < commands.size(); from += ConsentBatch.MAX_COMMANDS) {
            List<ConsentCommand> chunk =
                    commands.subList(from, Math.min(commands.size(), from + ConsentBatch.MAX_COMMANDS));
            outcomes.addAll(consent.apply(new ConsentBatch(t.workspaceId(), t.context(), chunk)));
        }
        return outcomes;
    }

    private void reply(Texted t, MessageTemplate template, String unit) {
        messages.enqueue(
                t.workspaceId(), t.contact(), Channel.SMS, t.number(), template, t.locale(), Map.of("unit", unit));
    }

    /** Replies go in the language of the last text sent to the number. */
    private String locale(long workspaceId, String number) {
        List<OutboundMessage> sent = messages.to(workspaceId, Channel.SMS, number);
        return sent.isEmpty() ? MessageTemplate.EN_US : sent.getLast().locale();
    }
}
