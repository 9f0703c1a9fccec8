package io.optledger.dialect.attentive;

import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.GroupCommit;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.dialect.attentive.AttentivePayloads.CreationResponse;
import io.optledger.dialect.attentive.AttentivePayloads.Eligibility;
import io.optledger.dialect.attentive.AttentivePayloads.EligibilityResponse;
import io.optledger.dialect.attentive.AttentivePayloads.RequestedSubscription;
import io.optledger.dialect.attentive.AttentivePayloads.SubscribeRequest;
import io.optledger.dialect.attentive.AttentivePayloads.SubscribeResponse;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Attentive's Subscribers API onto the consent core. Each call's consent changes and the texts they cause are written
 * in one transaction before the 202; the texts go out afterwards from the messaging queue.
 */
@Component
class AttentiveSubscriptions {

    static final String SOURCE = "attentive";

    private final SignUpUnits units;
    private final Topics topics;
    private final Contacts contacts;
    private final ConsentService consent;
    private final GroupCommit writes;
    private final EligibilityService eligibility;
    private final Messages messages;
    private final TransactionTemplate transactions;

    AttentiveSubscriptions(
            SignUpUnits units,
            Topics topics,
            Contacts contacts,
            ConsentService consent,
            GroupCommit writes,
            EligibilityService eligibility,
            Messages messages,
            TransactionTemplate transactions) {
        this.units = units;
        this.topics = topics;
        this.contacts = contacts;
        this.consent = consent;
        this.writes = writes;
        this.eligibility = eligibility;
        this.messages = messages;
        this.transactions = transactions;
    }

    SubscribeResponse subscribe(long workspaceId, RequestContext context, SubscribeRequest request) {
        User user = AttentiveUsers.user(request.user());
        SignUpUnit unit = unit(workspaceId, request);
        boolean singleOptIn = Boolean.TRUE.equals(request.singleOptIn());
        if (singleOptIn && !unit.singleOptInAllowed()) {
            throw new AttentiveFailure(
                    HttpStatus.FORBIDDEN, "single opt-in is not enabled for sign-up unit '" + unit.id() + "'");
        }
        String address = unit.channel() == UnitChannel.TEXT ? user.phone() : user.email();
        if (address == null) {
            throw AttentiveFailure.badRequest("sign-up unit '" + unit.id() + "' signs up by " + unit.channel()
                    + ": give user." + (unit.channel() == UnitChannel.TEXT ? "phone" : "email"));
        }
        List<Identifier> identifiers = AttentiveUsers.identifiers(user, request.externalIdentifiers());
        long contactId = contactOf(workspaceId, identifiers);
        Channel channel = unit.channel().channel();
        String topic = unit.subscriptionType().topic();

        // read before the change, as it was read before the consent batch locked the contact
        Subscription current = current(workspaceId, contactId, channel, address, topic);
        // a paused subscription was confirmed once: signing up again resumes it, without a new "Reply Y"
        boolean confirmed =
                current != null && (current.status() == Status.SUBSCRIBED || current.status() == Status.SUSPENDED);
        boolean previously = current != null && !current.deleted() && (confirmed || current.status() == Status.PENDING);
        // a text opt-in waits for its "Y" unless the unit allows, and the caller asks for, single opt-in
        boolean awaitReply = unit.channel() == UnitChannel.TEXT && !singleOptIn && !confirmed;
        // an email opt-in waits for its confirmation click where the unit does not allow single opt-in; the
        // confirmation email is queued by messaging when the subscription goes PENDING
        boolean awaitClick = unit.channel() == UnitChannel.EMAIL && !unit.singleOptInAllowed() && !confirmed;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("disclosureVersion", Integer.toString(unit.disclosure().version()));
        details.put("disclosureHash", unit.disclosure().hash());
        details.put("locale", unit.locale());
        details.put("singleOptIn", Boolean.toString(singleOptIn));
        ConsentBatch batch = new ConsentBatch(
                workspaceId,
                context,
                List.of(new ConsentCommand(
                        ContactRef.id(contactId),
                        channel,
                        address,
                        topic,
                        awaitReply || awaitClick ? Action.AWAIT_CONFIRMATION : Action.OPT_IN,
                        null,
                        null,
                        new Provenance(SOURCE, null, null, null, unit.id(), details))));
        // committed with the single changes arriving meanwhile (GroupCommit); the text is queued in the same
        // transaction, and a refusal rolls both back
        String status = writes.apply(batch, outcomes -> {
            if (outcomes.getFirst() instanceof ChangeOutcome.Rejected rejected) {
                throw AttentiveFailure.badRequest(rejected.message());
            }
            if (unit.channel() == UnitChannel.TEXT) {
                MessageTemplate template = confirmed
                        ? MessageTemplate.ALREADY_SUBSCRIBED
                        : awaitReply ? MessageTemplate.CONFIRMATION_REQUEST : null;
                if (template != null) {
                    messages.enqueue(
                            workspaceId,
                            contactId,
                            channel,
                            address,
                            template,
                            unit.locale(),
                            Map.of(
                                    "unit",
                                    unit.name(),
                                    "disclosure",
                                    unit.disclosure().text()));
                }
            }
            return previously ? "PREVIOUSLY_CREATED" : "NEWLY_CREATED";
        });
        return new SubscribeResponse(
                user,
                request.externalIdentifiers(),
                List.of(new CreationResponse(
                        new AttentivePayloads.Subscription(
                                unit.subscriptionType().name(), unit.channel().name()),
                        status)));
    }

    EligibilityResponse eligibility(long workspaceId, @Nullable String phone, @Nullable String email) {
        User user = AttentiveUsers.user(new User(phone, email));
        // each answer is about its address (a phone's TEXT, an email's EMAIL), even when they are two people's
        byContact(workspaceId, user);
        List<SubscriptionEligibility> answers = new ArrayList<>();
        for (Pair pair : pairs(workspaceId)) {
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
                : language(request.notification().language());

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
        List<Subscription> held = consent.subscriptionsOf(workspaceId, contactId);
        List<Pair> targets = targets(user, request.subscriptions(), held, topics.byKey(workspaceId));
        if (targets.isEmpty()) {
            return List.of();
        }
        List<ConsentCommand> commands = new ArrayList<>(targets.size());
        for (Pair target : targets) {
            commands.add(new ConsentCommand(
                    ContactRef.id(contactId),
                    target.channel().channel(),
                    addressOf(user, target.channel()),
                    target.type().topic(),
                    Action.OPT_OUT,
                    null,
                    null,
                    Provenance.of(SOURCE)));
        }
        List<ChangeOutcome> outcomes = consent.apply(new ConsentBatch(workspaceId, context, commands));
        List<UnsubscribeStatus> statuses = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            if (outcomes.get(i) instanceof ChangeOutcome.Rejected rejected) {
                throw AttentiveFailure.badRequest(rejected.message());
            }
            Pair target = targets.get(i);
            Subscription before = find(
                    held,
                    target.channel().channel(),
                    addressOf(user, target.channel()),
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
    private static List<Pair> targets(
            User user,
            @Nullable List<RequestedSubscription> requested,
            List<Subscription> held,
            Map<String, Topic> topics) {
        Set<Pair> targets = new LinkedHashSet<>();
        if (requested == null || requested.isEmpty()) {
            for (Subscription s : held) {
                SubscriptionType type = SubscriptionType.ofTopic(s.topic());
                UnitChannel channel = unitChannel(s.channel());
                if (type != null && channel != null && s.address().equals(addressOf(user, channel))) {
                    targets.add(new Pair(type, channel));
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
                    if (addressOf(user, channel) != null) {
                        targets.add(new Pair(type, channel));
                    }
                }
            }
        } else {
            for (RequestedSubscription one : requested) {
                Pair pair = pair(one);
                if (addressOf(user, pair.channel()) != null) {
                    targets.add(pair);
                }
            }
        }
        return List.copyOf(targets);
    }

    /** A subscription type on a channel, as Attentive names subscriptions. */
    record Pair(SubscriptionType type, UnitChannel channel) {
        AttentivePayloads.Subscription subscription() {
            return new AttentivePayloads.Subscription(type.name(), channel.name());
        }
    }

    private Set<Pair> pairs(long workspaceId) {
        Set<Pair> pairs = new LinkedHashSet<>();
        for (SignUpUnit unit : units.list(workspaceId)) {
            pairs.add(new Pair(unit.subscriptionType(), unit.channel()));
        }
        return pairs;
    }

    private SignUpUnit unit(long workspaceId, SubscribeRequest request) {
        if (request.signUpSourceId() != null) {
            return units.list(workspaceId).stream()
                    .filter(unit -> unit.id().equals(request.signUpSourceId()))
                    .findFirst()
                    .orElseThrow(() -> new AttentiveFailure(
                            HttpStatus.NOT_FOUND,
                            "no sign-up unit '" + request.signUpSourceId() + "': it is unknown or retired; use the ID"
                                    + " of a live API sign-up unit (GET /v1/sign-up-units)"));
        }
        if (request.locale() == null
                || request.locale().language() == null
                || request.locale().country() == null
                || request.subscriptionType() == null) {
            throw AttentiveFailure.badRequest(
                    "give signUpSourceId, or both locale {language, country} and subscriptionType");
        }
        SubscriptionType type = type(request.subscriptionType());
        List<SignUpUnit> matching = units.matching(
                workspaceId, request.locale().language(), request.locale().country(), type);
        if (matching.size() != 1) {
            throw AttentiveFailure.badRequest((matching.isEmpty() ? "no" : matching.size()) + " sign-up units match"
                    + " locale " + request.locale().language() + "-"
                    + request.locale().country() + " and "
                    + type + ": exactly one must; give signUpSourceId");
        }
        return matching.getFirst();
    }

    /** The person the identifiers name, registered (or completed) only when they do not all name one already. */
    private long contactOf(long workspaceId, List<Identifier> identifiers) {
        Map<Identifier, Long> known = contacts.idsOf(workspaceId, identifiers);
        Set<Long> named = new LinkedHashSet<>(known.values());
        if (known.size() == identifiers.size() && named.size() == 1) {
            return named.iterator().next();
        }
        return contacts.register(workspaceId, identifiers, Map.of()).contact().id();
    }

    private @Nullable Subscription current(
            long workspaceId, long contactId, Channel channel, String address, String topic) {
        // the contact was just found or registered: its subscriptions alone, without looking it up again
        return find(consent.subscriptionsOf(workspaceId, List.of(contactId)), channel, address, topic);
    }

    private static @Nullable Subscription find(
            List<Subscription> subscriptions, Channel channel, String address, String topic) {
        return subscriptions.stream()
                .filter(s -> s.channel() == channel
                        && s.address().equals(address)
                        && s.topic().equals(topic))
                .findFirst()
                .orElse(null);
    }

    private static Pair pair(RequestedSubscription requested) {
        if (requested == null || requested.type() == null || requested.channel() == null) {
            throw AttentiveFailure.badRequest("each subscription needs a type and a channel");
        }
        UnitChannel channel;
        try {
            channel = UnitChannel.valueOf(requested.channel().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AttentiveFailure.badRequest("channel '" + requested.channel() + "' is not TEXT or EMAIL");
        }
        return new Pair(type(requested.type()), channel);
    }

    private static SubscriptionType type(String name) {
        try {
            return SubscriptionType.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AttentiveFailure.badRequest(
                    "subscriptionType '" + name + "' is not MARKETING, TRANSACTIONAL or CHECKOUT_ABANDONED");
        }
    }

    private static String language(String language) {
        String supported = MessageTemplate.supported(language);
        if (!supported.equalsIgnoreCase(language.strip().replace('_', '-'))) {
            throw AttentiveFailure.badRequest("notification.language '" + language + "' is not en-US or fr-CA");
        }
        return supported;
    }

    private static @Nullable UnitChannel unitChannel(Channel channel) {
        return switch (channel) {
            case SMS -> UnitChannel.TEXT;
            case EMAIL -> UnitChannel.EMAIL;
            default -> null;
        };
    }

    private static @Nullable String addressOf(User user, UnitChannel channel) {
        return channel == UnitChannel.TEXT ? user.phone() : user.email();
    }
}
