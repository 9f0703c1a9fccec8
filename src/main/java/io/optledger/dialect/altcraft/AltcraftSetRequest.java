package io.optledger.dialect.altcraft;

import io.optledger.consent.Action;
import io.optledger.consent.Subscription;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a subscriptions/set call asks beyond its target: the status (none keeps it), the subscription's properties,
 * the date, whether to skip triggers, and the details the ledger keeps of the call.
 */
record AltcraftSetRequest(
        @Nullable AltcraftStatus status,
        @Nullable Map<String, Object> properties,
        @Nullable Instant date,
        boolean quiet,
        Map<String, String> details) {

    static final String PRIORITY = "priority";
    static final String CATS = "cats";
    static final String CUSTOM_FIELDS = "custom_fields";

    /** Reads and checks the call's fields; categories must be the resource's. */
    static AltcraftSetRequest read(AltcraftRequest request, Resource resource) {
        AltcraftStatus status = request.text("status") == null
                ? null
                : AltcraftStatus.of(request.text("status"))
                        .orElseThrow(() -> AltcraftRequest.invalid(
                                "status", "one of subscribed, unsubscribed, suspended, unconfirmed"));
        Map<String, Object> properties = properties(request, resource);
        Instant date = request.instant("date");
        boolean quiet = request.bool("skip_triggers");
        Map<String, String> details = new LinkedHashMap<>();
        putIfGiven(details, "ip", request.text("ip"));
        putIfGiven(details, "url", request.text("url"));
        return new AltcraftSetRequest(status, properties, date, quiet, details);
    }

    /** Whether the actions depend on whether the subscription exists: with no status, or a pause. */
    boolean actionsNeedState() {
        return status == null || status == AltcraftStatus.SUSPENDED;
    }

    /** The consent actions that set the Altcraft status from the current state; no status keeps it. */
    List<Action> actions(@Nullable Subscription current) {
        if (status == null) {
            return List.of(current == null ? Action.OPT_IN : Action.KEEP);
        }
        return switch (status) {
            case SUBSCRIBED -> List.of(Action.OPT_IN);
            case UNSUBSCRIBED -> List.of(Action.OPT_OUT);
            case UNCONFIRMED -> List.of(Action.AWAIT_CONFIRMATION);
            // adding a subscription in the paused state (the seed's own example) asserts the subscription, as adding
            // it subscribed does; an existing one is only paused, so a pause never overrides an opt-out or a pending
            // confirmation (the consent rules refuse it: error 10)
            case SUSPENDED -> current == null ? List.of(Action.OPT_IN, Action.SUSPEND) : List.of(Action.SUSPEND);
        };
    }

    /** priority, custom_fields and cats, as given; categories must be the resource's. */
    private static @Nullable Map<String, Object> properties(AltcraftRequest request, Resource resource) {
        Map<String, Object> properties = new LinkedHashMap<>();
        Long priority = request.integer(PRIORITY);
        if (priority != null) {
            properties.put(PRIORITY, priority);
        }
        Map<String, Object> customFields = request.object(CUSTOM_FIELDS);
        if (customFields != null) {
            properties.put(CUSTOM_FIELDS, customFields);
        }
        List<String> cats = request.texts(CATS);
        if (cats != null) {
            for (String cat : cats) {
                if (!resource.categories().contains(cat)) {
                    throw AltcraftRequest.invalid(
                            CATS, "categories of resource " + resource.id() + " " + resource.categories());
                }
            }
            properties.put(CATS, cats);
        }
        return properties.isEmpty() ? null : properties;
    }

    private static void putIfGiven(Map<String, String> details, String name, @Nullable String value) {
        if (value != null) {
            details.put(name, value);
        }
    }
}
