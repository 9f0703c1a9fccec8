package io.optledger.eligibility;

import io.optledger.access.Workspaces;
import io.optledger.consent.ConsentService;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.eligibility.Eligibility.Reason;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.Suppressions;
import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Decides eligibility. Opt-out wins: when several contacts hold the address, any one not active makes it ineligible. */
@Service
public class EligibilityService {

    private final Topics topics;
    private final Contacts contacts;
    private final ConsentService consent;
    private final Suppressions suppressions;
    private final Workspaces workspaces;
    private final Clock clock;

    EligibilityService(
            Topics topics,
            Contacts contacts,
            ConsentService consent,
            Suppressions suppressions,
            Workspaces workspaces,
            Clock clock) {
        this.topics = topics;
        this.contacts = contacts;
        this.consent = consent;
        this.suppressions = suppressions;
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

    public Eligibility check(long workspaceId, Channel channel, String topicKey, Target target) {
        Topic topic = topics.get(workspaceId, topicKey);
        String address = address(workspaceId, channel, target);
        if (address == null) {
            return new Eligibility(
                    false,
                    channel,
                    topic.key(),
                    null,
                    List.of(new Reason(
                            EligibilityReason.NO_ADDRESS,
                            "the contact has no " + channel + " address",
                            null,
                            null,
                            null)));
        }
        Optional<Suppression> suppression = suppressions.find(workspaceId, channel, address);
        if (suppression.isPresent()) {
            Suppression s = suppression.get();
            return new Eligibility(
                    false,
                    channel,
                    topic.key(),
                    address,
                    List.of(new Reason(
                            EligibilityReason.SUPPRESSED, "suppressed: " + s.reason(), null, s.createdAt(), null)));
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
        List<Subscription> held = consent.subscriptionsAt(workspaceId, channel, address, topic.key());
        if (held.isEmpty()) {
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
        Instant now = clock.instant();
        boolean eligible = true;
        List<Reason> reasons = new ArrayList<>(held.size());
        for (Subscription s : held) {
            eligible &= s.isActiveAt(now);
            reasons.add(reason(s, now));
        }
        return new Eligibility(eligible, channel, topic.key(), address, reasons);
    }

    private static Reason reason(Subscription s, Instant now) {
        return switch (s.status()) {
            case SUBSCRIBED ->
                new Reason(EligibilityReason.SUBSCRIBED, "subscribed", s.contactId(), s.occurredAt(), null);
            case UNSUBSCRIBED ->
                new Reason(EligibilityReason.OPTED_OUT, "opted out", s.contactId(), s.occurredAt(), null);
            case PENDING ->
                new Reason(
                        EligibilityReason.PENDING,
                        "awaiting confirmation of the opt-in",
                        s.contactId(),
                        s.occurredAt(),
                        null);
            case SUSPENDED -> {
                if (s.suspendedUntil() == null) {
                    yield new Reason(EligibilityReason.SUSPENDED, "suspended", s.contactId(), s.occurredAt(), null);
                }
                yield s.suspendedUntil().isAfter(now)
                        ? new Reason(
                                EligibilityReason.SUSPENDED_UNTIL,
                                "suspended until " + s.suspendedUntil(),
                                s.contactId(),
                                s.occurredAt(),
                                s.suspendedUntil())
                        : new Reason(
                                EligibilityReason.SUSPENSION_ENDED,
                                "the suspension ended at " + s.suspendedUntil(),
                                s.contactId(),
                                s.occurredAt(),
                                s.suspendedUntil());
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
