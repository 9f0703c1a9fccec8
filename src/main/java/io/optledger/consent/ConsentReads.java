package io.optledger.consent;

import io.optledger.consent.internal.JdbcSubscriptions;
import io.optledger.contact.Channel;
import io.optledger.contact.Contacts;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The state of subscriptions as the last committed change left it: what the API, the dialects, the workers and the
 * pages read. Changes go through {@link ConsentService} (or {@link GroupCommit}) alone.
 */
@Service
public class ConsentReads {

    private final Contacts contacts;
    private final JdbcSubscriptions subscriptions;

    ConsentReads(Contacts contacts, JdbcSubscriptions subscriptions) {
        this.contacts = contacts;
        this.subscriptions = subscriptions;
    }

    /** The state of every subscription of a contact that has one. */
    @Transactional(readOnly = true)
    public List<Subscription> subscriptionsOf(long workspaceId, long contactId) {
        contacts.get(workspaceId, contactId);
        return subscriptions.findOfContacts(workspaceId, List.of(contactId));
    }

    /**
     * The state of every subscription of the given contacts (of this workspace) that has one. One statement, so no
     * transaction of its own (a read-only one would cost a round trip more, for its commit).
     */
    public List<Subscription> subscriptionsOf(long workspaceId, Collection<Long> contactIds) {
        return subscriptions.findOfContacts(workspaceId, contactIds);
    }

    /**
     * Every subscription, to any topic, at the given (already normalised) channel addresses, whichever contacts hold
     * them. {@code channels} and {@code addresses} pair up by index. One statement, as {@link #subscriptionsOf(long, Collection)}.
     */
    public List<Subscription> subscriptionsAt(long workspaceId, List<Channel> channels, List<String> addresses) {
        return subscriptions.findAtAddresses(workspaceId, channels, addresses);
    }

    /**
     * A page of a topic's subscriptions in id order, each with its id; pass the last id as {@code afterId} for the next
     * page. Ids are opaque, so the order is stable but not that of creation.
     */
    @Transactional(readOnly = true)
    public List<Map.Entry<Long, Subscription>> subscriptionsOfTopic(TopicSubscriptions which, long afterId, int limit) {
        return subscriptions.findOfTopic(which, afterId, limit);
    }

    @Transactional(readOnly = true)
    public long countOfTopic(TopicSubscriptions which) {
        return subscriptions.countOfTopic(which);
    }
}
