package io.optledger.messaging;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Subscription;
import io.optledger.consent.SubscriptionKey;
import io.optledger.contact.Channel;
import io.optledger.topic.Topic;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One inbound text and what it is read against, for {@link InboundKeywords}: the consent commands it gives (on its
 * number, by SMS, with source {@code sms-keyword} and its keyword in the details) and the topic names its replies give.
 */
record Texted(
        long workspaceId,
        String number,
        Keyword keyword,
        RequestContext context,
        List<Subscription> held,
        Map<String, Topic> topics,
        String locale) {

    @Nullable
    Long contact() {
        return held.isEmpty() ? null : held.getFirst().contactId();
    }

    Map<SubscriptionKey, Subscription> byKey() {
        Map<SubscriptionKey, Subscription> byKey = new HashMap<>();
        held.forEach(s -> byKey.put(s.key(), s));
        return byKey;
    }

    ConsentCommand command(long contact, String topic, Action action, @Nullable Instant suspendedUntil) {
        return new ConsentCommand(
                ContactRef.id(contact),
                Channel.SMS,
                number,
                topic,
                action,
                null,
                suspendedUntil,
                new Provenance(InboundKeywords.SOURCE, null, null, null, null, Map.of("keyword", keyword.text())));
    }

    String unitName(String topic) {
        Topic found = topics.get(topic);
        return found == null ? "" : found.name();
    }
}
