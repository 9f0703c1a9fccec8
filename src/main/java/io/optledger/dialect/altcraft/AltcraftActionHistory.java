package io.optledger.dialect.altcraft;

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

/**
 * {@code subscribers/history_get_all}: the subscription history of a database's profiles within days, a page of
 * whole profiles at a time. Each entry's {@code xxh} is its profile's cursor: pass the last one as {@code from_id}
 * for the next page, which starts after it; an empty page is the end.
 */
@Component
class AltcraftActionHistory {

    static final int MAX_LIMIT = 1_000;
    private static final int PROFILE_PAGE = 500;

    private final ConsentLedger ledger;
    private final AltcraftRegistry registry;
    private final Contacts contacts;

    AltcraftActionHistory(ConsentLedger ledger, AltcraftRegistry registry, Contacts contacts) {
        this.ledger = ledger;
        this.registry = registry;
        this.contacts = contacts;
    }

    List<Map<String, Object>> historyGetAll(long workspaceId, AltcraftRequest request) {
        long dbId = registry.database(
                        workspaceId, request.requiredId(request.text("list_id") != null ? "list_id" : "db_id"))
                .id();
        Instant from = request.day("date_from", false);
        Instant to = request.day("date_to", true);
        if (from == null || to == null) {
            throw AltcraftError.INVALID_FIELD.failure("date_from and date_to are required (YYYY-MM-DD)");
        }
        Long limit = request.integer("limit");
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw AltcraftRequest.invalid("limit", "1 to " + MAX_LIMIT);
        }
        int size = limit == null ? MAX_LIMIT : limit.intValue();
        long after = cursor(request.text("from_id"));
        List<String> fields = request.texts("fields");
        Map<String, Resource> resources = registry.resourcesByTopic(workspaceId);

        List<Map<String, Object>> entries = new ArrayList<>();
        List<Long> page;
        do {
            page = contacts.idsWithAttribute(
                    workspaceId, AltcraftProfiles.DB_ATTRIBUTE, Long.toString(dbId), after, PROFILE_PAGE);
            for (long contactId : page) {
                List<ConsentEvent> events = new ArrayList<>();
                ledger.forEachEvent(workspaceId, contactId, event -> {
                    if (event.namesSubscription()
                            && !event.occurredAt().isBefore(from)
                            && event.occurredAt().isBefore(to)
                            && AltcraftChannel.of(event.channel()).isPresent()) {
                        events.add(event);
                    }
                });
                if (events.isEmpty()) {
                    continue;
                }
                // whole profiles only, so the cursor never splits one; a first profile larger than a page comes whole
                if (!entries.isEmpty() && entries.size() + events.size() > size) {
                    return entries;
                }
                Contact profile = contacts.get(workspaceId, contactId);
                for (ConsentEvent event : events) {
                    entries.add(entry(dbId, profile, event, resources, fields));
                }
                if (entries.size() >= size) {
                    return entries;
                }
            }
            after = page.isEmpty() ? after : page.getLast();
        } while (page.size() == PROFILE_PAGE);
        return entries;
    }

    private static Map<String, Object> entry(
            long dbId,
            Contact profile,
            ConsentEvent event,
            Map<String, Resource> resources,
            @Nullable List<String> fields) {
        AltcraftChannel channel = AltcraftChannel.of(event.channel()).orElseThrow();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("xxh", xxh(profile.id()));
        entry.put("profile_id", Long.toString(profile.id()));
        entry.put("email", profile.email());
        entry.put("phone", profile.phone());
        entry.put("list_id", dbId);
        entry.put("action", event.action().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("count", 1);
        entry.put("datetime", event.occurredAt().toString());
        Map<String, Object> subscription = new LinkedHashMap<>();
        Resource resource = resources.get(event.topic());
        subscription.put("resource_id", resource == null ? null : resource.id());
        subscription.put("resource_name", resource == null ? null : resource.name());
        subscription.put("channel", channel.apiName());
        subscription.putAll(AltcraftAddresses.addressFields(channel, event.address()));
        subscription.put(
                "status",
                event.to() == null ? null : AltcraftStatus.of(event.to()).apiName());
        entry.put("subscription", subscription);
        entry.put("channel", channel.apiName());
        Map<String, Object> history = AltcraftSubscriptionReads.historyEntry(resource, event, channel);
        entry.put("outcome", history.get("outcome"));
        entry.put("status_from", history.get("status_from"));
        entry.put("status_to", history.get("status_to"));
        entry.put("source", history.get("source"));
        if (fields != null) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : fields) {
                values.put(
                        field,
                        Optional.ofNullable(profile.attributes().get(field)).orElse(null));
            }
            entry.put("fields", values);
        }
        return entry;
    }

    /** A profile's cursor: its id in 16 hex digits, so cursors sort as profiles do. */
    static String xxh(long contactId) {
        return String.format("%016x", contactId);
    }

    /** {@code from_id}: a cursor ({@code xxh}, optionally followed by {@code .} and anything), exclusive. */
    private static long cursor(@Nullable String fromId) {
        if (fromId == null) {
            return 0;
        }
        String xxh = fromId.contains(".") ? fromId.substring(0, fromId.indexOf('.')) : fromId;
        try {
            return Long.parseUnsignedLong(xxh, 16);
        } catch (NumberFormatException e) {
            throw AltcraftRequest.invalid("from_id", "the xxh of an entry of the previous page");
        }
    }
}
