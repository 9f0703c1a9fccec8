package io.optledger.dialect.capillary;

import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.ContactRef;
import io.optledger.consent.GroupCommit;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Subscription;
import io.optledger.consent.SubscriptionKey;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.contact.Contact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Capillary subscription changes into consent batches, and a customer's subscriptions and history back out. Shared by
 * v1.1 and v2, which differ only in their shapes.
 */
@Component
class CapillarySubscriptions {

    static final String SOURCE = "capillary";
    static final String ORG_UNIT_ID = "orgUnitId";
    static final String ACCOUNT_ID = "accountId";
    static final String SOURCE_NAME = "sourceName";
    private static final String API = "api";

    private final ConsentReads consent;
    private final GroupCommit writes;
    private final ConsentLedger ledger;
    private final CapillaryTopics topics;

    CapillarySubscriptions(ConsentReads consent, GroupCommit writes, ConsentLedger ledger, CapillaryTopics topics) {
        this.consent = consent;
        this.writes = writes;
        this.ledger = ledger;
        this.topics = topics;
    }

    /** A change as Capillary asks for it, for a customer already found. */
    record Change(
            long contactId,
            CapillaryChannel channel,
            @Nullable String address,
            CapillaryTopics.Ref topic,
            boolean optIn,
            String accountId,
            @Nullable String sourceName) {}

    /** What a request says about all of its changes: which API, and v2's reason, campaign and communication. */
    record Origin(
            String api,
            @Nullable String reason,
            @Nullable Long campaignId,
            @Nullable Long communicationId) {}

    /** A customer's Capillary subscription as it stands. */
    record Current(CapillaryChannel channel, CapillaryTopics.Ref topic, Subscription subscription) {}

    /** Applies the changes in one batch (creating their topics first) and answers an outcome per change, in order. */
    List<ChangeOutcome> apply(long workspaceId, RequestContext context, Origin origin, List<Change> changes) {
        topics.ensure(workspaceId, changes.stream().map(Change::topic).toList());
        List<ConsentCommand> commands = new ArrayList<>(changes.size());
        for (Change change : changes) {
            commands.add(new ConsentCommand(
                    ContactRef.id(change.contactId()),
                    change.channel().channel(),
                    // the address the item names, else the account's (channels without one) or the customer's own
                    change.address() != null
                            ? change.address()
                            : change.channel().address(change.accountId()),
                    change.topic().key(),
                    change.optIn() ? Action.OPT_IN : Action.OPT_OUT,
                    null,
                    null,
                    provenance(origin, change)));
        }
        // committed with the other changes arriving meanwhile (GroupCommit), as one batch
        return writes.apply(new ConsentBatch(workspaceId, context, commands), Function.identity());
    }

    /**
     * The customer's subscriptions to Capillary topics: on its own current mobile and email, and per account on the
     * channels where Capillary names no address.
     */
    List<Current> current(long workspaceId, Contact contact) {
        List<Current> current = new ArrayList<>();
        for (Subscription subscription : consent.subscriptionsOf(workspaceId, contact.id())) {
            CapillaryTopics.parse(subscription.topic())
                    .ifPresent(topic -> CapillaryChannel.of(subscription.channel(), subscription.address())
                            .filter(channel -> !channel.hasOwnAddress()
                                    || subscription
                                            .address()
                                            .equals(contact.identifiers()
                                                    .get(channel.channel().defaultIdentifier())))
                            .ifPresent(channel -> current.add(new Current(channel, topic, subscription))));
        }
        return current;
    }

    /** The last event that set each subscription's state: where its account and source name are kept. */
    Map<SubscriptionKey, ConsentEvent> lastSettingEvents(long workspaceId, long contactId) {
        Map<SubscriptionKey, ConsentEvent> last = new LinkedHashMap<>();
        ledger.forEachEvent(workspaceId, contactId, event -> {
            if (event.namesSubscription()
                    && event.outcome() != EventOutcome.STALE
                    && event.outcome() != EventOutcome.REJECTED) {
                last.put(event.key(), event);
            }
        });
        return last;
    }

    /** Every status change of the customer's Capillary subscriptions, oldest first. */
    List<ConsentEvent> statusChanges(long workspaceId, long contactId) {
        List<ConsentEvent> changes = new ArrayList<>();
        ledger.forEachEvent(workspaceId, contactId, event -> {
            boolean changed = event.outcome() == EventOutcome.CREATED || event.outcome() == EventOutcome.CHANGED;
            if (changed
                    && event.namesSubscription()
                    && CapillaryTopics.parse(event.topic()).isPresent()
                    && CapillaryChannel.of(event.channel(), event.address()).isPresent()) {
                changes.add(event);
            }
        });
        return changes;
    }

    /** The account of an event or subscription: kept on the ledger, or in the address where that carries it. */
    static String accountOf(CapillaryChannel channel, String address, @Nullable ConsentEvent event) {
        String kept = event == null ? null : event.details().get(ACCOUNT_ID);
        return kept != null ? kept : channel.accountOf(address);
    }

    private static Provenance provenance(Origin origin, Change change) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(API, origin.api());
        details.put(ORG_UNIT_ID, Long.toString(change.topic().orgUnitId()));
        if (!change.accountId().isEmpty()) {
            details.put(ACCOUNT_ID, change.accountId());
        }
        if (change.sourceName() != null) {
            details.put(SOURCE_NAME, change.sourceName());
        }
        return new Provenance(
                SOURCE,
                origin.reason(),
                applicable(origin.campaignId()),
                applicable(origin.communicationId()),
                null,
                details);
    }

    /** Capillary sends -1 for "no campaign" and "no communication". */
    private static @Nullable String applicable(@Nullable Long id) {
        return id == null || id < 0 ? null : Objects.toString(id);
    }
}
