package io.optledger.preferences;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.eligibility.Eligibility;
import io.optledger.eligibility.EligibilityReason;
import io.optledger.eligibility.EligibilityService;
import io.optledger.eligibility.EligibilityService.Answer;
import io.optledger.eligibility.EligibilityService.Lookup;
import io.optledger.eligibility.EligibilityService.Target;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * What the preference page shows of a contact (each channel it has an address on, each topic, as eligibility answers
 * now) and which consent commands a submitted form stands for: only the rows the person changed from what the page
 * showed them, never a re-assertion of a state that changed since (a later opt-out elsewhere is not undone).
 */
@Service
public class PreferencePage {

    private final Contacts contacts;
    private final Topics topics;
    private final EligibilityService eligibility;

    PreferencePage(Contacts contacts, Topics topics, EligibilityService eligibility) {
        this.contacts = contacts;
        this.topics = topics;
        this.eligibility = eligibility;
    }

    /** The contact's rows by channel, in channel then topic-name order; the address each channel's rows are about. */
    public Sections sections(long workspaceId, long contactId) {
        Contact contact = contacts.get(workspaceId, contactId);
        Map<Channel, String> addresses = new LinkedHashMap<>();
        if (contact.email() != null) {
            addresses.put(Channel.EMAIL, contact.email());
        }
        if (contact.phone() != null) {
            addresses.put(Channel.SMS, contact.phone());
        }
        List<Topic> all = topics.list(workspaceId).stream()
                .sorted((a, b) -> a.name().compareToIgnoreCase(b.name()))
                .toList();
        List<Lookup> lookups = new ArrayList<>();
        for (Channel channel : addresses.keySet()) {
            for (Topic topic : all) {
                lookups.add(new Lookup(channel, topic.key(), new Target.ContactId(contactId)));
            }
        }
        List<Answer> answers = lookups.isEmpty() ? List.of() : eligibility.checkAll(workspaceId, lookups);
        Map<Channel, List<PreferenceRow>> rows = new LinkedHashMap<>();
        int i = 0;
        for (Channel channel : addresses.keySet()) {
            List<PreferenceRow> channelRows = new ArrayList<>();
            for (Topic topic : all) {
                if (answers.get(i++) instanceof Answer.Answered(Eligibility answer)) {
                    channelRows.add(row(channel, topic, answer));
                }
            }
            rows.put(channel, channelRows);
        }
        return new Sections(contact, addresses, rows);
    }

    /**
     * The commands a submitted form stands for: each row the person could change whose ticked state differs from the
     * one the page showed ({@code shown}, as the form carried it back), an opt-in request where ticked (double
     * opt-in where the topic asks for it), an opt-out where cleared. {@code unsubscribeAll} clears every marketing row.
     */
    public List<ConsentCommand> commands(
            Sections sections,
            Map<String, Boolean> shown,
            Set<String> ticked,
            boolean unsubscribeAll,
            Provenance provenance) {
        List<ConsentCommand> commands = new ArrayList<>();
        sections.rows().forEach((channel, rows) -> {
            for (PreferenceRow row : rows) {
                if (row.mandatory() || row.blocked()) {
                    continue;
                }
                Boolean wasOn = shown.get(row.field());
                boolean wantOn = !(unsubscribeAll && row.marketing()) && ticked.contains(row.field());
                boolean showedOn = wasOn != null ? wasOn : row.on();
                if (unsubscribeAll && row.marketing() ? row.on() : wasOn != null && wantOn != showedOn) {
                    commands.add(new ConsentCommand(
                            ContactRef.id(sections.contact().id()),
                            channel,
                            null,
                            row.topic(),
                            wantOn ? Action.REQUEST_OPT_IN : Action.OPT_OUT,
                            null,
                            null,
                            provenance));
                }
            }
        });
        return commands;
    }

    private static PreferenceRow row(Channel channel, Topic topic, Eligibility answer) {
        boolean blocked = false;
        PreferenceRow.State state =
                answer.eligible() ? PreferenceRow.State.SUBSCRIBED : PreferenceRow.State.NOT_SUBSCRIBED;
        Instant until = null;
        for (Eligibility.Reason reason : answer.reasons()) {
            EligibilityReason code = reason.code();
            switch (code) {
                case SUPPRESSED -> blocked = true;
                case PENDING -> state = PreferenceRow.State.PENDING;
                case SUSPENDED, SUSPENDED_UNTIL -> {
                    state = PreferenceRow.State.SUSPENDED;
                    until = reason.until();
                }
                case SUBSCRIBED, MANDATORY, SUSPENSION_ENDED -> state = PreferenceRow.State.SUBSCRIBED;
                case OPTED_OUT, DELETED -> state = PreferenceRow.State.NOT_SUBSCRIBED;
                case TOPIC_DEFAULT, NO_ADDRESS -> {}
            }
        }
        return new PreferenceRow(
                channel,
                topic.key(),
                topic.name(),
                topic.description(),
                topic.kind() == TopicKind.MARKETING,
                topic.mandatory(),
                state,
                until,
                blocked);
    }

    /** The page's content: the contact, its address on each channel, and the rows of each channel. */
    public record Sections(Contact contact, Map<Channel, String> addresses, Map<Channel, List<PreferenceRow>> rows) {

        public @Nullable PreferenceRow row(String field) {
            return rows.values().stream()
                    .flatMap(List::stream)
                    .filter(row -> row.field().equals(field))
                    .findFirst()
                    .orElse(null);
        }
    }
}
