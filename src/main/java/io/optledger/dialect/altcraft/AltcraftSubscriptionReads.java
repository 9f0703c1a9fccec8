package io.optledger.dialect.altcraft;

import io.optledger.consent.ConsentReads;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.consent.TopicSubscriptions;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Altcraft's subscription reads onto the consent core: get, list, list_all and a profile's history from the ledger. */
@Component
class AltcraftSubscriptionReads {

    static final int MAX_LIMIT = 1_000;
    private static final int DEFAULT_LIMIT = 100;

    private final ConsentReads consent;
    private final ConsentLedger ledger;
    private final AltcraftTargets targets;
    private final AltcraftRegistry registry;
    private final AltcraftProfiles profiles;
    private final Contacts contacts;

    AltcraftSubscriptionReads(
            ConsentReads consent,
            ConsentLedger ledger,
            AltcraftTargets targets,
            AltcraftRegistry registry,
            AltcraftProfiles profiles,
            Contacts contacts) {
        this.consent = consent;
        this.ledger = ledger;
        this.targets = targets;
        this.registry = registry;
        this.profiles = profiles;
        this.contacts = contacts;
    }

    /** subscriptions/get: one subscription. */
    Map<String, Object> get(long workspaceId, AltcraftRequest request) {
        AltcraftTargets.Target target = targets.target(workspaceId, request);
        Subscription subscription = AltcraftTargets.existing(
                targets.subscriptionsOfResource(workspaceId, target.profileId(), target.resource()), target);
        return view(target.dbId(), target.resource(), subscription);
    }

    /** subscriptions/list: a profile's subscriptions to registered resources, optionally of one resource or channel. */
    List<Map<String, Object>> list(long workspaceId, AltcraftRequest request) {
        long dbId = targets.database(workspaceId, request);
        Contact profile = profiles.resolve(workspaceId, dbId, request.requiredText("profile_id"));
        Long resourceId = request.optionalId("resource_id");
        AltcraftChannel channel = AltcraftAddresses.channelOrNull(request);
        List<Map<String, Object>> views = new ArrayList<>();
        Map<String, Resource> resources = registry.resourcesByTopic(workspaceId);
        for (Subscription subscription : consent.subscriptionsOf(workspaceId, profile.id())) {
            Optional<Resource> resource = Optional.ofNullable(resources.get(subscription.topic()));
            Optional<AltcraftChannel> altcraftChannel = AltcraftChannel.of(subscription.channel());
            if (resource.isPresent()
                    && altcraftChannel.isPresent()
                    && (resourceId == null || resource.get().id() == resourceId)
                    && (channel == null || channel == altcraftChannel.get())) {
                views.add(view(dbId, resource.get(), subscription));
            }
        }
        return views;
    }

    /** subscriptions/list_all: a resource's subscriptions, a page at a time after {@code from_id}. */
    Map<String, Object> listAll(long workspaceId, AltcraftRequest request) {
        Resource resource = registry.resource(workspaceId, request.requiredId("resource_id"));
        Long dbId = request.optionalId("db_id");
        if (dbId != null) {
            registry.database(workspaceId, dbId);
        }
        AltcraftChannel channel = AltcraftAddresses.channelOrNull(request);
        Status status = request.text("status") == null
                ? null
                : AltcraftStatus.of(request.text("status"))
                        .orElseThrow(() -> AltcraftRequest.invalid(
                                "status", "one of subscribed, unsubscribed, suspended, unconfirmed"))
                        .status();
        Long fromId = request.integer("from_id");
        Long limit = request.integer("limit");
        if ((fromId != null && fromId < 0) || (limit != null && (limit < 1 || limit > MAX_LIMIT))) {
            throw AltcraftRequest.invalid("from_id and limit", "from_id >= 0 and limit 1 to " + MAX_LIMIT);
        }
        TopicSubscriptions which = new TopicSubscriptions(
                workspaceId,
                resource.topic(),
                channel == null ? null : channel.channel(),
                status,
                dbId == null ? null : AltcraftProfiles.DB_ATTRIBUTE,
                dbId == null ? null : dbId.toString());
        int size = limit == null ? DEFAULT_LIMIT : limit.intValue();
        List<Map.Entry<Long, Subscription>> page =
                consent.subscriptionsOfTopic(which, fromId == null ? 0 : fromId, size);
        Map<Long, String> dbOf = contacts.attributeOf(
                workspaceId,
                page.stream()
                        .map(entry -> entry.getValue().contactId())
                        .distinct()
                        .toList(),
                AltcraftProfiles.DB_ATTRIBUTE);
        List<Map<String, Object>> views = new ArrayList<>(page.size());
        for (Map.Entry<Long, Subscription> entry : page) {
            Subscription subscription = entry.getValue();
            if (AltcraftChannel.of(subscription.channel()).isEmpty()) {
                continue;
            }
            String db = dbOf.get(subscription.contactId());
            Map<String, Object> view = view(db == null ? null : Long.parseLong(db), resource, subscription);
            view.put("id", entry.getKey());
            views.add(view);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriptions", views);
        data.put("next_from_id", page.size() == size ? page.getLast().getKey() : null);
        data.put("total_count", consent.countOfTopic(which));
        return data;
    }

    /** subscribers/history_get: a profile's subscription history from the ledger, optionally within dates. */
    List<Map<String, Object>> history(long workspaceId, AltcraftRequest request) {
        long dbId = targets.database(workspaceId, request);
        Contact profile = profiles.resolve(workspaceId, dbId, request.requiredText("profile_id"));
        Instant from = request.instant("date_from");
        Instant to = request.instant("date_to");
        List<Map<String, Object>> history = new ArrayList<>();
        Map<String, Resource> resources = registry.resourcesByTopic(workspaceId);
        ledger.forEachEvent(workspaceId, profile.id(), event -> {
            boolean inRange = (from == null || !event.occurredAt().isBefore(from))
                    && (to == null || !event.occurredAt().isAfter(to));
            Optional<AltcraftChannel> channel = AltcraftChannel.of(event.channel());
            if (inRange && event.namesSubscription() && channel.isPresent()) {
                history.add(historyEntry(resources.get(event.topic()), event, channel.get()));
            }
        });
        return history;
    }

    static Map<String, Object> historyEntry(@Nullable Resource resource, ConsentEvent event, AltcraftChannel channel) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("date", event.occurredAt().toString());
        entry.put("recorded", event.recordedAt().toString());
        entry.put("resource_id", resource == null ? null : resource.id());
        entry.put("topic", event.topic());
        entry.put("channel", channel.apiName());
        entry.putAll(AltcraftAddresses.addressFields(channel, event.address()));
        entry.put("action", event.action().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("outcome", event.outcome().name().toLowerCase(java.util.Locale.ROOT));
        entry.put(
                "status_from",
                event.from() == null ? null : AltcraftStatus.of(event.from()).apiName());
        entry.put(
                "status_to",
                event.to() == null ? null : AltcraftStatus.of(event.to()).apiName());
        entry.put("source", event.source());
        entry.put("ip", event.details().getOrDefault("ip", event.ip()));
        entry.put("url", event.details().get("url"));
        return entry;
    }

    private static Map<String, Object> view(@Nullable Long dbId, Resource resource, Subscription subscription) {
        AltcraftChannel channel = AltcraftChannel.of(subscription.channel()).orElseThrow();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("profile_id", Long.toString(subscription.contactId()));
        view.put("db_id", dbId);
        view.put("resource_id", resource.id());
        view.put("channel", channel.apiName());
        view.putAll(AltcraftAddresses.addressFields(channel, subscription.address()));
        view.put("status", AltcraftStatus.of(subscription.status()).apiName());
        view.put("is_delete", subscription.deleted());
        view.put(AltcraftSetRequest.PRIORITY, subscription.properties().get(AltcraftSetRequest.PRIORITY));
        view.put(AltcraftSetRequest.CATS, subscription.properties().getOrDefault(AltcraftSetRequest.CATS, List.of()));
        view.put(
                AltcraftSetRequest.CUSTOM_FIELDS,
                subscription.properties().getOrDefault(AltcraftSetRequest.CUSTOM_FIELDS, Map.of()));
        view.put("date", subscription.occurredAt().toString());
        view.put("updated", subscription.updatedAt().toString());
        return view;
    }
}
