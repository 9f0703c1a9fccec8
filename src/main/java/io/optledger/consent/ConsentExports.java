package io.optledger.consent;

import io.optledger.consent.internal.JdbcConsentExports;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Reads a workspace's whole state or ledger out in one pass each, for exports: each row is handed to the caller as a
 * server-side cursor delivers it, in one read-only transaction, so memory stays constant whatever the size.
 */
@Service
public class ConsentExports {

    private final JdbcConsentExports store;

    ConsentExports(JdbcConsentExports store) {
        this.store = store;
    }

    /** Which subscriptions: all of a workspace's, or those of one topic, channel or status, or received since a time. */
    public record SubscriptionFilter(
            long workspaceId,
            @Nullable String topic,
            @Nullable Channel channel,
            @Nullable Status status,
            @Nullable Instant changedSince) {}

    /** Which ledger events: all of a workspace's, or one contact's, or those recorded in [from, to). */
    public record EventFilter(
            long workspaceId,
            @Nullable Long contactId,
            @Nullable Instant from,
            @Nullable Instant to) {}

    /** A subscription with its contact's identifiers by name, so that it can be imported elsewhere as is. */
    public record ExportedSubscription(Subscription subscription, Map<String, String> identifiers) {}

    /** Every matching subscription, in (contact, channel, address, topic) order. */
    public void subscriptions(SubscriptionFilter filter, Consumer<ExportedSubscription> sink) {
        store.subscriptions(filter, sink);
    }

    /** Every matching ledger event, in (contact, seq) order. */
    public void events(EventFilter filter, Consumer<ConsentEvent> sink) {
        store.events(filter, sink);
    }
}
