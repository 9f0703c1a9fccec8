package io.optledger.messaging;

import io.optledger.access.Workspaces;
import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.contact.PhoneNumbers;
import io.optledger.suppression.SuppressionReason;
import io.optledger.suppression.Suppressions;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a text sent to us means, by its keyword (case and surrounding spaces ignored): the US carriers' opt-out words
 * opt the number out of all SMS marketing and answer one confirmation; STOPALL also suppresses the number; START and
 * UNSTOP resume; Y or YES confirms pending opt-ins (and resumes when none is pending); HELP and INFO answer the help
 * text. Every consent change is a ledger event with source {@code sms-keyword}; replies are queued in the same
 * transaction.
 */
@Service
public class InboundKeywords {

    static final String SOURCE = "sms-keyword";
    private static final Set<String> OPT_OUT =
            Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT");
    private static final Set<String> RESUME = Set.of("START", "UNSTOP");
    private static final Set<String> CONFIRM = Set.of("Y", "YES");
    private static final Set<String> HELP = Set.of("HELP", "INFO");

    private final ConsentService consent;
    private final Topics topics;
    private final Suppressions suppressions;
    private final Messages messages;
    private final Workspaces workspaces;
    private final TransactionTemplate transactions;

    InboundKeywords(
            ConsentService consent,
            Topics topics,
            Suppressions suppressions,
            Messages messages,
            Workspaces workspaces,
            TransactionTemplate transactions) {
        this.consent = consent;
        this.topics = topics;
        this.suppressions = suppressions;
        this.messages = messages;
        this.workspaces = workspaces;
        this.transactions = transactions;
    }

    /** What an inbound text did: the keyword it was read as, and how many subscriptions it changed. */
    public record Handled(String keyword, String action, int changed) {}

    public Handled handle(long workspaceId, String from, String body, RequestContext context) {
        String number = PhoneNumbers.normalise(from, workspaces.defaultRegion(workspaceId));
        String keyword = body.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        return transactions.execute(tx -> {
            List<Subscription> held = consent.subscriptionsAt(workspaceId, List.of(Channel.SMS), List.of(number));
            Map<String, Topic> byKey = topics.byKey(workspaceId);
            Predicate<Subscription> marketing =
                    s -> byKey.containsKey(s.topic()) && byKey.get(s.topic()).kind() == TopicKind.MARKETING;
            String locale = locale(workspaceId, number);
            Long contact = held.isEmpty() ? null : held.getFirst().contactId();
            if (OPT_OUT.contains(keyword)) {
                int changed = apply(
                        workspaceId,
                        context,
                        keyword,
                        held.stream()
                                .filter(marketing.and(s -> s.status() != Status.UNSUBSCRIBED))
                                .toList(),
                        Action.OPT_OUT);
                if (keyword.equals("STOPALL")) {
                    suppressions.suppress(workspaceId, Channel.SMS, number, SuppressionReason.KEYWORD, "STOPALL");
                }
                reply(workspaceId, contact, number, MessageTemplate.UNSUBSCRIBED, locale);
                return new Handled(keyword, "opted_out", changed);
            }
            List<Subscription> pending =
                    held.stream().filter(s -> s.status() == Status.PENDING).toList();
            if (CONFIRM.contains(keyword) && !pending.isEmpty()) {
                int changed = apply(workspaceId, context, keyword, pending, Action.CONFIRM);
                reply(workspaceId, contact, number, MessageTemplate.CONFIRMED, locale, unitOf(pending, byKey));
                return new Handled(keyword, "confirmed", changed);
            }
            if (RESUME.contains(keyword) || CONFIRM.contains(keyword)) {
                List<Subscription> left = held.stream()
                        .filter(marketing.and(s -> s.status() == Status.UNSUBSCRIBED))
                        .toList();
                int changed = apply(workspaceId, context, keyword, left, Action.OPT_IN);
                boolean suppressed = !suppressions
                        .findAll(workspaceId, List.of(Channel.SMS), List.of(number))
                        .isEmpty();
                if (suppressed) {
                    suppressions.lift(workspaceId, Channel.SMS, number);
                }
                reply(workspaceId, contact, number, MessageTemplate.CONFIRMED, locale, unitOf(left, byKey));
                return new Handled(keyword, "resumed", changed);
            }
            if (HELP.contains(keyword)) {
                reply(workspaceId, contact, number, MessageTemplate.HELP, locale);
                return new Handled(keyword, "help", 0);
            }
            return new Handled(keyword, "none", 0);
        });
    }

    private int apply(
            long workspaceId, RequestContext context, String keyword, List<Subscription> targets, Action action) {
        if (targets.isEmpty()) {
            return 0;
        }
        List<ConsentCommand> commands = new ArrayList<>(targets.size());
        for (Subscription s : targets) {
            commands.add(new ConsentCommand(
                    ContactRef.id(s.contactId()),
                    Channel.SMS,
                    s.address(),
                    s.topic(),
                    action,
                    null,
                    null,
                    new Provenance(SOURCE, null, null, null, null, Map.of("keyword", keyword))));
        }
        int changed = 0;
        for (ChangeOutcome outcome : consent.apply(new ConsentBatch(workspaceId, context, commands))) {
            if (outcome instanceof ChangeOutcome.Changed || outcome instanceof ChangeOutcome.Created) {
                changed++;
            }
        }
        return changed;
    }

    private void reply(
            long workspaceId, @Nullable Long contact, String number, MessageTemplate template, String locale) {
        reply(workspaceId, contact, number, template, locale, "");
    }

    private void reply(
            long workspaceId,
            @Nullable Long contact,
            String number,
            MessageTemplate template,
            String locale,
            String unit) {
        messages.enqueue(workspaceId, contact, Channel.SMS, number, template, locale, Map.of("unit", unit));
    }

    /** Replies go in the language of the last text sent to the number. */
    private String locale(long workspaceId, String number) {
        List<OutboundMessage> sent = messages.to(workspaceId, Channel.SMS, number);
        return sent.isEmpty() ? MessageTemplate.EN_US : sent.getLast().locale();
    }

    private static String unitOf(List<Subscription> subscriptions, Map<String, Topic> byKey) {
        return subscriptions.isEmpty()
                        || !byKey.containsKey(subscriptions.getFirst().topic())
                ? ""
                : byKey.get(subscriptions.getFirst().topic()).name();
    }
}
