package io.optledger.eligibility;

import io.optledger.access.Workspaces;
import io.optledger.consent.Status;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.eligibility.AddressFactsCache.AddressFacts;
import io.optledger.eligibility.AddressFactsCache.AddressKey;
import io.optledger.eligibility.Eligibility.Reason;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Decides eligibility: suppressions first, then mandatory topics, then the subscriptions at the address, then the
 * topic's default. Opt-out wins: when several contacts hold the address, any one not active makes it ineligible. Reads
 * come from {@link AddressFactsCache}, so a check usually costs no query.
 */
@Service
public class EligibilityService {

    public static final int MAX_BATCH = 1_000;

    private final Topics topics;
    private final Contacts contacts;
    private final AddressFactsCache facts;
    private final Workspaces workspaces;
    private final Clock clock;

    EligibilityService(Topics topics, Contacts contacts, AddressFactsCache facts, Workspaces workspaces, Clock clock) {
        this.topics = topics;
        this.contacts = contacts;
        this.facts = facts;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /** Who is asked about: exactly one of an address, an email, a phone or a contact id. */
    public sealed interface Target {
        record Address(String raw) implements Target {}

        record Email(String raw) implements Target {}

        record Phone(String raw) implements Target {}

        record ContactId(long id) implements Target {}
    }

    /** One question of a batch. */
    public record Lookup(Channel channel, String topic, Target target) {}

    /** One answer of a batch: the eligibility, or why the question could not be answered. */
    public sealed interface Answer {
        record Answered(Eligibility eligibility) implements Answer {}

        record Invalid(InvalidInput error) implements Answer {}

        record Unknown(NotFound error) implements Answer {}
    }

    public Eligibility check(long workspaceId, Channel channel, String topicKey, Target target) {
        Topic topic = topics.get(workspaceId, topicKey);
        String address = address(workspaceId, channel, target);
        if (address == null) {
            return noAddress(channel, topic);
        }
        return decide(
                topic, channel, address, facts.get(new AddressKey(workspaceId, channel, address)), clock.instant());
    }

    /** The same answers as {@link #check}, for up to {@link #MAX_BATCH} lookups, in order. */
    public List<Answer> checkAll(long workspaceId, List<Lookup> lookups) {
        if (lookups.isEmpty() || lookups.size() > MAX_BATCH) {
            throw new InvalidInput("lookups", "a batch holds 1 to " + MAX_BATCH + " lookups, not " + lookups.size());
        }
        Map<String, Topic> byKey = topics.byKey(workspaceId);
        List<Resolved> resolved = new ArrayList<>(lookups.size());
        List<AddressKey> keys = new ArrayList<>(lookups.size());
        for (Lookup lookup : lookups) {
            resolved.add(resolve(workspaceId, lookup, byKey));
            if (resolved.getLast() instanceof Resolved.Ask ask) {
                keys.add(ask.key());
            }
        }
        Map<AddressKey, AddressFacts> known = keys.isEmpty() ? Map.of() : facts.getAll(workspaceId, keys);
        Instant now = clock.instant();
        return resolved.stream()
                .map(r -> switch (r) {
                    case Resolved.Ask ask ->
                        new Answer.Answered(decide(
                                ask.topic(), ask.key().channel(), ask.key().address(), known.get(ask.key()), now));
                    case Resolved.Done done -> done.answer();
                })
                .toList();
    }

    /** A lookup made ready: an address to ask about, or already answered. */
    private sealed interface Resolved {
        record Ask(Topic topic, AddressKey key) implements Resolved {}

        record Done(Answer answer) implements Resolved {}
    }

    private Resolved resolve(long workspaceId, Lookup lookup, Map<String, Topic> byKey) {
        try {
            Topic topic = byKey.get(lookup.topic());
            if (topic == null) {
                throw new NotFound("no topic '" + lookup.topic() + "'");
            }
            String address = address(workspaceId, lookup.channel(), lookup.target());
            return address == null
                    ? new Resolved.Done(new Answer.Answered(noAddress(lookup.channel(), topic)))
                    : new Resolved.Ask(topic, new AddressKey(workspaceId, lookup.channel(), address));
        } catch (InvalidInput e) {
            return new Resolved.Done(new Answer.Invalid(e));
        } catch (NotFound e) {
            return new Resolved.Done(new Answer.Unknown(e));
        }
    }

    private static Eligibility decide(Topic topic, Channel channel, String address, AddressFacts facts, Instant now) {
        Suppression suppression = facts.suppression();
        // an erased address is kept from marketing only: a person who comes back still gets password resets
        if (suppression != null
                && !(suppression.reason() == SuppressionReason.ERASED && topic.kind() == TopicKind.TRANSACTIONAL)) {
            return new Eligibility(
                    false,
                    channel,
                    topic.key(),
                    address,
                    List.of(new Reason(
                            EligibilityReason.SUPPRESSED,
                            "suppressed: " + suppression.reason(),
                            null,
                            suppression.createdAt(),
                            null)));
        }
        if (topic.mandatory()) {
            return new Eligibility(
                    true,
                    channel,
                    topic.key(),
                    address,
                    List.of(new Reason(
                            EligibilityReason.MANDATORY,
                            "topic '" + topic.key() + "' is mandatory",
                            null,
                            null,
                            null)));
        }
        boolean eligible = true;
        List<Reason> reasons = new ArrayList<>(1);
        for (HeldSubscription s : facts.subscriptions()) {
            // a detached subscription is a former owner's: it says nothing about the address any more
            if (s.topic().equals(topic.key()) && s.status() != Status.DETACHED) {
                eligible &= s.isActiveAt(now);
                reasons.add(reason(s, now));
            }
        }
        if (reasons.isEmpty()) {
            return new Eligibility(
                    topic.defaultOptIn(),
                    channel,
                    topic.key(),
                    address,
                    List.of(new Reason(
                            EligibilityReason.TOPIC_DEFAULT,
                            topic.defaultOptIn()
                                    ? "never asked; the topic defaults to opted in"
                                    : "never asked; the topic defaults to not subscribed",
                            null,
                            null,
                            null)));
        }
        return new Eligibility(eligible, channel, topic.key(), address, reasons);
    }

    private static Eligibility noAddress(Channel channel, Topic topic) {
        return new Eligibility(
                false,
                channel,
                topic.key(),
                null,
                List.of(new Reason(
                        EligibilityReason.NO_ADDRESS, "the contact has no " + channel + " address", null, null, null)));
    }

    private static Reason reason(HeldSubscription s, Instant now) {
        if (s.deleted()) {
            return new Reason(
                    EligibilityReason.DELETED,
                    "the subscription was deleted (its status was " + s.status() + ")",
                    s.contactId(),
                    s.occurredAt(),
                    null);
        }
        return switch (s.status()) {
            case SUBSCRIBED ->
                new Reason(EligibilityReason.SUBSCRIBED, "subscribed", s.contactId(), s.occurredAt(), null);
            case UNSUBSCRIBED, DETACHED ->
                new Reason(EligibilityReason.OPTED_OUT, "opted out", s.contactId(), s.occurredAt(), null);
            case PENDING ->
                new Reason(
                        EligibilityReason.PENDING,
                        "awaiting confirmation of the opt-in",
                        s.contactId(),
                        s.occurredAt(),
                        null);
            case SUSPENDED -> {
                Instant until = s.suspendedUntil();
                if (until == null) {
                    yield new Reason(EligibilityReason.SUSPENDED, "suspended", s.contactId(), s.occurredAt(), null);
                }
                yield until.isAfter(now)
                        ? new Reason(
                                EligibilityReason.SUSPENDED_UNTIL,
                                "suspended until " + until,
                                s.contactId(),
                                s.occurredAt(),
                                until)
                        : new Reason(
                                EligibilityReason.SUSPENSION_ENDED,
                                "the suspension ended at " + until,
                                s.contactId(),
                                s.occurredAt(),
                                until);
            }
        };
    }

    private @Nullable String address(long workspaceId, Channel channel, Target target) {
        String region = workspaces.defaultRegion(workspaceId);
        return switch (target) {
            case Target.Address a -> channel.normaliseAddress(a.raw(), region);
            case Target.Email e ->
                viaIdentifier(workspaceId, channel, Identifier.normalised(Identifier.EMAIL, e.raw(), region));
            case Target.Phone p ->
                viaIdentifier(workspaceId, channel, Identifier.normalised(Identifier.PHONE, p.raw(), region));
            case Target.ContactId c -> ownAddress(channel, contacts.get(workspaceId, c.id()));
        };
    }

    /** The identifier itself where it is the channel's address kind, else the address of the contact it names. */
    private @Nullable String viaIdentifier(long workspaceId, Channel channel, Identifier identifier) {
        if (identifier.name().equals(channel.defaultIdentifier())) {
            return identifier.value();
        }
        return ownAddress(
                channel,
                contacts.find(workspaceId, identifier)
                        .orElseThrow(() -> new NotFound("no contact with that " + identifier.name())));
    }

    private static @Nullable String ownAddress(Channel channel, Contact contact) {
        String identifier = channel.defaultIdentifier();
        if (identifier == null) {
            throw new InvalidInput("address", channel + " addresses are not contact identifiers: ask by address");
        }
        return contact.identifiers().get(identifier);
    }
}
