package io.optledger.console;

import io.optledger.consent.Subscription;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.eligibility.Eligibility;
import io.optledger.messaging.OutboundMessage;
import io.optledger.suppression.Suppression;
import io.optledger.topic.Topic;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Everything the person page shows about one contact. */
record PersonPage(
        Contact contact,
        List<Topic> topics,
        List<AddressRow> addresses,
        List<Suppression> suppressions,
        List<TimelineEntry> timeline,
        @Nullable Long nextBefore,
        boolean newest) {

    /** One channel address of the person: a row of the matrix, with a cell per topic, and what was sent there. */
    record AddressRow(Channel channel, String address, List<Cell> cells, List<OutboundMessage> messages) {}

    /** A topic at an address: the stored state (null where none: the topic's default applies) and eligibility now. */
    record Cell(
            Topic topic,
            @Nullable Subscription subscription,
            @Nullable Eligibility eligibility) {}

    /** A ledger event with the disclosure text the person was shown, where the ledger names it. */
    record TimelineEntry(ConsentEvent event, @Nullable String disclosure) {}
}
