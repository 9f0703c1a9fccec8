package io.optledger.dialect.attentive;

import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentReads;
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
import io.optledger.dialect.attentive.AttentivePayloads.SubscribeRequest;
import io.optledger.dialect.attentive.AttentivePayloads.SubscribeResponse;
import io.optledger.dialect.attentive.AttentivePayloads.User;
import io.optledger.messaging.MessageTemplate;
import io.optledger.messaging.Messages;
import io.optledger.topic.SignUpUnit;
import io.optledger.topic.SignUpUnit.SubscriptionType;
import io.optledger.topic.SignUpUnit.UnitChannel;
import io.optledger.topic.SignUpUnits;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Attentive's subscribe call onto the consent core: the sign-up unit, the subscriber found or registered, and the
 * consent change with the text it causes, committed together (with the single changes arriving meanwhile) before the
 * 202; the text goes out afterwards from the messaging queue.
 */
@Component
class AttentiveSignUps {

    static final String SOURCE = "attentive";

    private final SignUpUnits units;
    private final Contacts contacts;
    private final ConsentReads consent;
    private final GroupCommit writes;
    private final Messages messages;

    AttentiveSignUps(
            SignUpUnits units, Contacts contacts, ConsentReads consent, GroupCommit writes, Messages messages) {
        this.units = units;
        this.contacts = contacts;
        this.consent = consent;
        this.writes = writes;
        this.messages = messages;
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
        Channel channel = unit.channel().channel();
        String topic = unit.subscriptionType().topic();

        // A text opt-in waits for its "Y" unless the unit allows, and the caller asks for, single opt-in; an email
        // opt-in waits for its confirmation click where the unit does not allow single opt-in (the confirmation email
        // is queued by messaging when the subscription goes PENDING). Neither waits where the person confirmed before,
        // so only a sign-up that may wait reads the subscription first, to choose its action.
        boolean mayWait = unit.channel() == UnitChannel.TEXT ? !singleOptIn : !unit.singleOptInAllowed();
        // A sign-up that names its person by the address it signs up alone, and need not read first, finds or creates
        // that person in its group's transaction (as the native one-call sign-up does): no lookup of its own before.
        Identifier own = new Identifier(Objects.requireNonNull(channel.defaultIdentifier()), address);
        boolean resolvedInGroup = !mayWait && identifiers.equals(List.of(own));
        Long knownId = resolvedInGroup ? null : contactOf(workspaceId, identifiers);
        boolean confirmedBefore = // one that may wait has its contact: knownId is set
                mayWait && confirmed(current(workspaceId, Objects.requireNonNull(knownId), channel, address, topic));
        boolean awaitReply = unit.channel() == UnitChannel.TEXT && mayWait && !confirmedBefore;
        boolean awaitClick = unit.channel() == UnitChannel.EMAIL && mayWait && !confirmedBefore;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("disclosureVersion", Integer.toString(unit.disclosure().version()));
        details.put("disclosureHash", unit.disclosure().hash());
        details.put("locale", unit.locale());
        details.put("singleOptIn", Boolean.toString(singleOptIn));
        ConsentBatch batch = new ConsentBatch(
                workspaceId,
                context,
                List.of(new ConsentCommand(
                        knownId == null ? ContactRef.identifier(own) : ContactRef.id(knownId),
                        channel,
                        address,
                        topic,
                        awaitReply || awaitClick ? Action.AWAIT_CONFIRMATION : Action.OPT_IN,
                        null,
                        null,
                        new Provenance(SOURCE, null, null, null, unit.id(), details))),
                resolvedInGroup);
        // committed with the changes arriving meanwhile (GroupCommit); the text is queued in the same
        // transaction, and a refusal rolls both back
        String status = writes.applySeeingBefore(batch, applied -> {
            ChangeOutcome outcome = applied.outcomes().getFirst();
            if (outcome instanceof ChangeOutcome.Rejected rejected) {
                throw AttentiveFailure.badRequest(rejected.message());
            }
            // what the change met, under the contact's lock: the answer and the text follow it
            Subscription current = AttentivePairs.find(applied.before(), channel, address, topic);
            boolean confirmed = confirmed(current);
            boolean previously =
                    current != null && !current.deleted() && (confirmed || current.status() == Status.PENDING);
            if (unit.channel() == UnitChannel.TEXT) {
                MessageTemplate template = confirmed
                        ? MessageTemplate.ALREADY_SUBSCRIBED
                        : awaitReply ? MessageTemplate.CONFIRMATION_REQUEST : null;
                if (template != null) {
                    messages.enqueue(
                            workspaceId,
                            contactOf(outcome),
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
        SubscriptionType type = AttentivePairs.type(request.subscriptionType());
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

    /** The contact a change that was not rejected applied to. */
    private static long contactOf(ChangeOutcome outcome) {
        return switch (outcome) {
            case ChangeOutcome.Created created -> created.subscription().contactId();
            case ChangeOutcome.Changed changed -> changed.subscription().contactId();
            case ChangeOutcome.Unchanged unchanged -> unchanged.subscription().contactId();
            case ChangeOutcome.Stale stale -> stale.current().contactId();
            case ChangeOutcome.Rejected rejected ->
                throw new IllegalStateException("a rejected change names no contact it applied to");
        };
    }

    /** A paused subscription was confirmed once: signing up again resumes it, without a new "Reply Y". */
    private static boolean confirmed(@Nullable Subscription current) {
        return current != null && (current.status() == Status.SUBSCRIBED || current.status() == Status.SUSPENDED);
    }

    private @Nullable Subscription current(
            long workspaceId, long contactId, Channel channel, String address, String topic) {
        // the contact was just found or registered: its subscriptions alone, without looking it up again
        return AttentivePairs.find(consent.subscriptionsOf(workspaceId, List.of(contactId)), channel, address, topic);
    }
}
