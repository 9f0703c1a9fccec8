package io.optledger.dialect.attentive;

import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.dialect.attentive.AttentivePayloads.Eligibility;
import io.optledger.dialect.attentive.AttentivePayloads.EligibilityResponse;
import io.optledger.dialect.attentive.AttentivePayloads.RequestedSubscription;
import io.optledger.dialect.attentive.AttentivePayloads.SubscriptionEligibility;
import io.optledger.dialect.attentive.AttentivePayloads.UnsubscribeRequest;
import io.optledger.dialect.attentive.AttentivePayloads.UnsubscribeResponse;
import io.optledger.dialect.attentive.AttentivePayloads.UnsubscribeStatus;
import io.optledger.dialect.attentive.AttentivePayloads.User;
import io.optledger.eligibility.EligibilityService;
import io.optledger.messaging.MessageTemplate;
import io.optledger.messaging.Messages;
import io.optledger.topic.SignUpUnit;
import io.optledger.topic.SignUpUnit.SubscriptionType;
import io.optledger.topic.SignUpUnit.UnitChannel;
import io.optledger.topic.SignUpUnits;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Attentive's calls that locate subscribers by their addresses: unsubscribe (the opt-outs and the text confirming
 * them, in one transaction before the answer) and eligibility.
 */
@Component
class AttentiveSubscribers {

    private final SignUpUnits units;
    private final Topics topics;
    private final Contacts contacts;
    private final ConsentService consent;
    private final ConsentReads reads;
    private final EligibilityService eligibility;
    private final Messages messages;
    private final TransactionTemplate transactions;

    AttentiveSubscribers(
            SignUpUnits units,
            Topics topics,
            Contacts contacts,
            ConsentService consent,
            ConsentReads reads,
            EligibilityService eligibility,
            Messages messages,
            TransactionTemplate transactions) {
        this.units = units;
        this.topics = topics;
        this.contacts = contacts;
        this.consent = consent;
        this.reads = reads;
        this.eligibility = eligibility;
        this.messages = messages;
        this.transactions = transactions;
    }

    EligibilityResponse eligibility(long workspaceId, @Nullable String phone, @Nullable String email) {
        User user = AttentiveUsers.user(new User(phone, email));
        // each answer is about its address (a phone's TEXT, an email's EMAIL), even when they are two people's
        byContact(workspaceId, user);
        List<SubscriptionEligibility> answers = new ArrayList<>();
        for (AttentivePairs.Pair pair : pairs(workspaceId)) {
            String address = pair.channel() == UnitChannel.TEXT ? user.phone() : user.email();
            if (address != null) {
                boolean eligible = eligibility
                        .check(
                                workspaceId,
                                pair.channel().channel(),
                                pair.type().topic(),
                                new EligibilityService.Target.Address(address))
                        .eligible();
                answers.add(new SubscriptionEligibility(pair.subscription(), new Eligibility(eligible)));
            }
        }
        return new EligibilityResponse(answers);
    }

    UnsubscribeResponse unsubscribe(long workspaceId, RequestContext context, UnsubscribeRequest request) {
        User user = AttentiveUsers.user(request.user());
        Map<Long, User> byContact = byContact(workspaceId, user);
        boolean notify = request.notification() == null
                || !Boolean.TRUE.equals(request.notification().disabled());
        // the language only matters when a text is sent
        String language = !notify
                        || request.notification() == null
                        || request.notification().language() == null
                ? MessageTemplate.EN_US
                : AttentivePairs.language(request.notification().language());

        return transactions.execute(tx -> {
            List<UnsubscribeStatus> statuses = new ArrayList<>();
            byContact.forEach((contactId, reached) ->
                    statuses.addAll(unsubscribe(workspaceId, context, contactId, reached, request, notify, language)));
            return new UnsubscribeResponse(user, statuses);
        });
    }

    /**
     * Who an unsubscribe reaches: the phone's subscriber for TEXT and the email's for EMAIL, as Attentive locates
     * them; two people when the two addresses are two people's, so a withdrawal never fails for naming both.
     */
    private Map<Long, User> byContact(long workspaceId, User user) {
        Long byPhone = user.phone() == null ? null : contactOfAddress(workspaceId, Identifier.PHONE, user.phone());
        Long byEmail = user.email() == null ? null : contactOfAddress(workspaceId, Identifier.EMAIL, user.email());
        Map<Long, User> byContact = new LinkedHashMap<>();
        if (byPhone == null && byEmail == null) {
            throw new AttentiveFailure(HttpStatus.NOT_FOUND, "no subscriber with that phone or email");
        }
        if (byPhone != null && byEmail != null && !byPhone.equals(byEmail)) {
            byContact.put(byPhone, new User(user.phone(), null));
            byContact.put(byEmail, new User(null, user.email()));
        } else {
            byContact.put(byPhone != null ? byPhone : byEmail, user);
        }
        return byContact;
    }

    private @Nullable Long contactOfAddress(long workspaceId, String name, String value) {
        return contacts.idsOf(workspaceId, List.of(new Identifier(name, value))).values().stream()
                .findFirst()
                .orElse(null);
    }

    /** One subscriber's unsubscribe, in the caller's transaction: one read and one batch. */
    private List<UnsubscribeStatus> unsubscribe(
            long workspaceId,
            RequestContext context,
            long contactId,
            User user,
            UnsubscribeRequest request,
            boolean notify,
            String language) {
        List<Subscription> held = reads.subscriptionsOf(workspaceId, contactId);
        List<AttentivePairs.Pair> targets = targets(user, request.subscriptions(), held, topics.byKey(workspaceId));
        if (targets.isEmpty()) {
            return List.of();
        }
        List<ConsentCommand> commands = new ArrayList<>(targets.size());
        for (AttentivePairs.Pair target : targets) {
            commands.add(new ConsentCommand(
                    ContactRef.id(contactId),
                    target.channel().channel(),
                    AttentivePairs.addressOf(user, target.channel()),
                    target.type().topic(),
                    Action.OPT_OUT,
                    null,
                    null,
                    Provenance.of(AttentiveSignUps.SOURCE)));
        }
        List<ChangeOutcome> outcomes = consent.apply(new ConsentBatch(workspaceId, context, commands));
        List<UnsubscribeStatus> statuses = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            if (outcomes.get(i) instanceof ChangeOutcome.Rejected rejected) {
                throw AttentiveFailure.badRequest(rejected.message());
            }
            AttentivePairs.Pair target = targets.get(i);
            Subscription before = AttentivePairs.find(
                    held,
                    target.channel().channel(),
                    AttentivePairs.addressOf(user, target.channel()),
                    target.type().topic());
            boolean previously = before != null && before.status() == Status.UNSUBSCRIBED;
            statuses.add(new UnsubscribeStatus(
                    target.subscription(), previously ? "PREVIOUSLY_UNSUBSCRIBED" : "NEWLY_UNSUBSCRIBED"));
        }
        if (notify && targets.stream().anyMatch(target -> target.channel() == UnitChannel.TEXT)) {
            messages.enqueue(
                    workspaceId,
                    contactId,
                    Channel.SMS,
                    user.phone(),
                    MessageTemplate.UNSUBSCRIBED,
                    language,
                    Map.of());
        }
        return statuses;
    }

    /**
     * What an unsubscribe reaches: the requested (type, channel) pairs, or without any every subscription the person
     * holds at the given addresses and every marketing type whose topic defaults to opted in (never asked, yet
     * eligible: the opt-out must reach it too, and be recorded). An email reaches only EMAIL subscriptions, a phone
     * only TEXT ones.
     */
    private static List<AttentivePairs.Pair> targets(
            User user,
            @Nullable List<RequestedSubscription> requested,
            List<Subscription> held,
            Map<String, Topic> topics) {
        Set<AttentivePairs.Pair> targets = new LinkedHashSet<>();
        if (requested == null || requested.isEmpty()) {
            for (Subscription s : held) {
                SubscriptionType type = SubscriptionType.ofTopic(s.topic());
                UnitChannel channel = AttentivePairs.unitChannel(s.channel());
                if (type != null && channel != null && s.address().equals(AttentivePairs.addressOf(user, channel))) {
                    targets.add(new AttentivePairs.Pair(type, channel));
                }
            }
            for (SubscriptionType type : SubscriptionType.values()) {
                Topic topic = topics.get(type.topic());
                if (topic == null
                        || topic.kind() != TopicKind.MARKETING
                        || !topic.defaultOptIn()
                        || topic.mandatory()) {
                    continue;
                }
                for (UnitChannel channel : UnitChannel.values()) {
                    if (AttentivePairs.addressOf(user, channel) != null) {
                        targets.add(new AttentivePairs.Pair(type, channel));
                    }
                }
            }
        } else {
            for (RequestedSubscription one : requested) {
                AttentivePairs.Pair pair = AttentivePairs.pair(one);
                if (AttentivePairs.addressOf(user, pair.channel()) != null) {
                    targets.add(pair);
                }
            }
        }
        return List.copyOf(targets);
    }

    private Set<AttentivePairs.Pair> pairs(long workspaceId) {
        Set<AttentivePairs.Pair> pairs = new LinkedHashSet<>();
        for (SignUpUnit unit : units.list(workspaceId)) {
            pairs.add(new AttentivePairs.Pair(unit.subscriptionType(), unit.channel()));
        }
        return pairs;
    }
}
