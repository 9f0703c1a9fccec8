package io.optledger.console;

import io.optledger.consent.ConsentReads;
import io.optledger.consent.Subscription;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.console.PersonPage.AddressRow;
import io.optledger.console.PersonPage.Cell;
import io.optledger.console.PersonPage.TimelineEntry;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.eligibility.Eligibility;
import io.optledger.eligibility.EligibilityService;
import io.optledger.eligibility.EligibilityService.Answer;
import io.optledger.eligibility.EligibilityService.Lookup;
import io.optledger.eligibility.EligibilityService.Target;
import io.optledger.messaging.Messages;
import io.optledger.platform.NotFound;
import io.optledger.suppression.Suppressions;
import io.optledger.topic.SignUpUnit.Disclosure;
import io.optledger.topic.SignUpUnits;
import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Puts the person page together from the services the API reads through; no SQL of its own. */
@Component
class PersonPages {

    static final int TIMELINE_PAGE = 20;

    private final Contacts contacts;
    private final Topics topics;
    private final ConsentReads consent;
    private final ConsentLedger ledger;
    private final EligibilityService eligibility;
    private final Suppressions suppressions;
    private final Messages messages;
    private final SignUpUnits units;

    PersonPages(
            Contacts contacts,
            Topics topics,
            ConsentReads consent,
            ConsentLedger ledger,
            EligibilityService eligibility,
            Suppressions suppressions,
            Messages messages,
            SignUpUnits units) {
        this.contacts = contacts;
        this.topics = topics;
        this.consent = consent;
        this.ledger = ledger;
        this.eligibility = eligibility;
        this.suppressions = suppressions;
        this.messages = messages;
        this.units = units;
    }

    /** The page of a contact of the workspace, its timeline from before {@code beforeSeq} (null: the newest). */
    PersonPage of(long workspaceId, long contactId, @Nullable Long beforeSeq) {
        Contact contact = contacts.get(workspaceId, contactId);
        List<Topic> all = topics.list(workspaceId);
        List<Subscription> held = consent.subscriptionsOf(workspaceId, contactId);
        List<Map.Entry<Channel, String>> addresses = addresses(contact, held);

        List<Lookup> lookups = new ArrayList<>();
        for (Map.Entry<Channel, String> address : addresses) {
            for (Topic topic : all) {
                lookups.add(new Lookup(address.getKey(), topic.key(), new Target.Address(address.getValue())));
            }
        }
        List<Answer> answers = new ArrayList<>(lookups.size());
        for (int from = 0; from < lookups.size(); from += EligibilityService.MAX_BATCH) {
            answers.addAll(eligibility.checkAll(
                    workspaceId, lookups.subList(from, Math.min(lookups.size(), from + EligibilityService.MAX_BATCH))));
        }
        Map<String, Subscription> byCell = new HashMap<>();
        held.forEach(s -> byCell.put(cell(s.channel(), s.address(), s.topic()), s));

        List<AddressRow> rows = new ArrayList<>();
        int answer = 0;
        for (Map.Entry<Channel, String> address : addresses) {
            List<Cell> cells = new ArrayList<>();
            for (Topic topic : all) {
                Eligibility decided =
                        answers.get(answer++) instanceof Answer.Answered answered ? answered.eligibility() : null;
                cells.add(
                        new Cell(topic, byCell.get(cell(address.getKey(), address.getValue(), topic.key())), decided));
            }
            rows.add(new AddressRow(
                    address.getKey(),
                    address.getValue(),
                    cells,
                    messages.to(workspaceId, address.getKey(), address.getValue())));
        }

        long before = beforeSeq == null ? Long.MAX_VALUE : beforeSeq;
        List<ConsentEvent> events = ledger.eventsNewestFirst(workspaceId, contactId, before, TIMELINE_PAGE + 1);
        Long next =
                events.size() > TIMELINE_PAGE ? events.get(TIMELINE_PAGE - 1).seq() : null;
        Map<String, List<Disclosure>> disclosures = new HashMap<>();
        List<TimelineEntry> timeline = events.stream()
                .limit(TIMELINE_PAGE)
                .map(e -> new TimelineEntry(e, disclosure(workspaceId, e, disclosures)))
                .toList();

        return new PersonPage(
                contact,
                all,
                rows,
                suppressions.findAll(
                        workspaceId,
                        addresses.stream().map(Map.Entry::getKey).toList(),
                        addresses.stream().map(Map.Entry::getValue).toList()),
                timeline,
                next,
                beforeSeq == null);
    }

    /** The person's own addresses (email, phone) first, then every other address a subscription is held at. */
    private static List<Map.Entry<Channel, String>> addresses(Contact contact, List<Subscription> held) {
        Set<Map.Entry<Channel, String>> addresses = new LinkedHashSet<>();
        if (contact.email() != null) {
            addresses.add(Map.entry(Channel.EMAIL, contact.email()));
        }
        if (contact.phone() != null) {
            addresses.add(Map.entry(Channel.SMS, contact.phone()));
        }
        held.forEach(s -> addresses.add(Map.entry(s.channel(), s.address())));
        return List.copyOf(addresses);
    }

    /**
     * The text the person was shown: a page keeps it on the event itself; a sign-up unit's opt-in names the unit and
     * its disclosure version, whose text the unit keeps.
     */
    private @Nullable String disclosure(long workspaceId, ConsentEvent event, Map<String, List<Disclosure>> cache) {
        String shown = event.details().get("disclosure");
        if (shown != null) {
            return shown;
        }
        String version = event.details().get("disclosureVersion");
        if (event.signUpUnit() == null || version == null) {
            return null;
        }
        List<Disclosure> versions = cache.computeIfAbsent(event.signUpUnit(), unit -> {
            try {
                return units.disclosures(workspaceId, unit);
            } catch (NotFound e) {
                return List.of(); // the unit was retired since
            }
        });
        return versions.stream()
                .filter(d -> Integer.toString(d.version()).equals(version))
                .map(Disclosure::text)
                .findFirst()
                .orElse(null);
    }

    private static String cell(Channel channel, String address, String topic) {
        return channel + "\u0000" + address + "\u0000" + topic;
    }
}
