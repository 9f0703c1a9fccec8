package io.optledger.dialect.altcraft;

import io.optledger.consent.Action;
import io.optledger.consent.Applied;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.GroupCommit;
import io.optledger.consent.Provenance;
import io.optledger.consent.RejectReason;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Contacts;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import io.optledger.platform.InvalidInput;
import io.optledger.suppression.Suppressions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Altcraft's subscription writes onto the consent core: set, delete and undelete, suspend_all and unsuspend_all, each
 * call one or more consent batches.
 */
@Component
class AltcraftSubscriptions {

    static final String SOURCE = "altcraft";
    /** The source of the pauses suspend_all makes: unsuspend_all resumes these and no other pause. */
    static final String SUSPEND_ALL_SOURCE = "altcraft:suspend_all";

    private static final int CONTACT_PAGE = 500;
    static final String PRIORITY = "priority";
    static final String CATS = "cats";
    static final String CUSTOM_FIELDS = "custom_fields";

    private final ConsentService consent;
    private final GroupCommit writes;
    private final AltcraftTargets targets;
    private final AltcraftRegistry registry;
    private final Contacts contacts;
    private final Suppressions suppressions;
    private final Clock clock;

    AltcraftSubscriptions(
            ConsentService consent,
            GroupCommit writes,
            AltcraftTargets targets,
            AltcraftRegistry registry,
            Contacts contacts,
            Suppressions suppressions,
            Clock clock) {
        this.consent = consent;
        this.writes = writes;
        this.targets = targets;
        this.registry = registry;
        this.contacts = contacts;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** subscriptions/set: creates or changes one subscription and says what happened. */
    Map<String, Object> set(long workspaceId, RequestContext context, AltcraftRequest request) {
        AltcraftTargets.Target named = targets.targetToCheck(workspaceId, request);
        AltcraftStatus status = request.text("status") == null
                ? null
                : AltcraftStatus.of(request.text("status"))
                        .orElseThrow(() -> AltcraftRequest.invalid(
                                "status", "one of subscribed, unsubscribed, suspended, unconfirmed"));
        Map<String, Object> properties = properties(request, named.resource());
        Instant date = request.instant("date");
        boolean quiet = request.bool("skip_triggers");
        Map<String, String> details = new LinkedHashMap<>();
        putIfGiven(details, "ip", request.text("ip"));
        putIfGiven(details, "url", request.text("url"));

        // A status names its actions, except that none, or a pause, depends on whether the subscription exists: read it
        // first only then. What the answer says of the state before (new? restored?) is what the change met, read
        // under the profile's lock in the change's own transaction.
        boolean actionsNeedState = status == null || status == AltcraftStatus.SUSPENDED;
        // a subscription read first is read by the profile: checked first, then
        AltcraftTargets.Target target =
                actionsNeedState && !named.profileChecked() ? targets.check(workspaceId, named) : named;
        Subscription known = actionsNeedState
                ? AltcraftTargets.find(
                                targets.subscriptionsOfResource(workspaceId, target.profileId(), target.resource()),
                                target)
                        .orElse(null)
                : null;
        Applied applied = apply(
                workspaceId,
                context,
                target,
                actions(status, known),
                date,
                properties,
                quiet,
                details,
                "subscriptions/set");
        List<ChangeOutcome> outcomes = applied.outcomes();
        // the batch names the profile alone, so what it had before is the profile's: those of the resource's topic
        List<Subscription> before = applied.before().stream()
                .filter(s -> s.topic().equals(target.resource().topic()))
                .toList();
        Subscription current = AltcraftTargets.find(before, target).orElse(null);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", action(outcomes, current));
        data.put(
                "is_new_channel",
                !before.isEmpty()
                        && before.stream()
                                .noneMatch(s -> s.channel() == target.channel().channel()));
        data.put(
                "is_new_contact",
                before.stream().anyMatch(s -> s.channel() == target.channel().channel()) && current == null);
        data.put("is_new_subscription", before.isEmpty());
        Subscription after = switch (outcomes.getLast()) {
            case ChangeOutcome.Created created -> created.subscription();
            case ChangeOutcome.Changed changed -> changed.subscription();
            case ChangeOutcome.Unchanged unchanged -> unchanged.subscription();
            case ChangeOutcome.Stale stale -> stale.current();
            case ChangeOutcome.Rejected rejected -> current;
        };
        data.put("is_restored", current != null && current.deleted() && after != null && !after.deleted());
        data.put(
                "is_safe",
                suppressions
                        .findAll(workspaceId, List.of(target.channel().channel()), List.of(target.address()))
                        .isEmpty());
        return data;
    }

    /** subscriptions/delete and subscriptions/undelete. */
    Map<String, Object> delete(long workspaceId, RequestContext context, AltcraftRequest request, boolean delete) {
        AltcraftTargets.Target target = targets.target(workspaceId, request);
        Subscription current = AltcraftTargets.existing(
                targets.subscriptionsOfResource(workspaceId, target.profileId(), target.resource()), target);
        String method = delete ? "subscriptions/delete" : "subscriptions/undelete";
        List<ChangeOutcome> outcomes = apply(
                        workspaceId,
                        context,
                        target,
                        List.of(delete ? Action.DELETE : Action.KEEP),
                        null,
                        null,
                        false,
                        Map.of(),
                        method)
                .outcomes();
        boolean changed = outcomes.getFirst() instanceof ChangeOutcome.Changed;
        return Map.of("action", !changed ? "unchanged" : current.deleted() ? "restored" : "deleted");
    }

    /**
     * subscriptions/suspend_all and unsuspend_all: every subscription of the database's profiles, optionally of one
     * resource or channel, each with its own ledger event. suspend_all pauses what receives (subscribed, or paused with
     * the pause ended); unsuspend_all resumes exactly the pauses suspend_all made and that nothing has changed since,
     * never a pause set otherwise (a person's own 30 days). Applied a page of profiles at a time, each page one
     * transaction; answers how many changed.
     */
    Map<String, Object> suspendAll(long workspaceId, RequestContext context, AltcraftRequest request, boolean suspend) {
        long dbId = targets.database(workspaceId, request);
        Long resourceId = request.optionalId("resource_id");
        Resource resource = resourceId == null ? null : registry.resource(workspaceId, resourceId);
        AltcraftChannel channel = AltcraftAddresses.channelOrNull(request);
        String method = suspend ? "subscriptions/suspend_all" : "subscriptions/unsuspend_all";
        Provenance bulk = provenance(method, dbId, resourceId, Map.of());
        Provenance provenance =
                suspend ? new Provenance(SUSPEND_ALL_SOURCE, null, null, null, null, bulk.details()) : bulk;
        Instant now = clock.instant();
        long updated = 0;
        long after = 0;
        List<Long> page;
        do {
            page = contacts.idsWithAttribute(
                    workspaceId, AltcraftProfiles.DB_ATTRIBUTE, Long.toString(dbId), after, CONTACT_PAGE);
            List<ConsentCommand> commands = new ArrayList<>();
            for (Subscription s :
                    page.isEmpty() ? List.<Subscription>of() : consent.subscriptionsOf(workspaceId, page)) {
                if ((suspend ? receives(s, now) : madeBySuspendAll(s))
                        && !s.deleted()
                        && (resource == null || resource.topic().equals(s.topic()))
                        && (channel == null
                                ? AltcraftChannel.of(s.channel()).isPresent()
                                : channel.channel() == s.channel())) {
                    commands.add(new ConsentCommand(
                            ContactRef.id(s.contactId()),
                            s.channel(),
                            s.address(),
                            s.topic(),
                            suspend ? Action.SUSPEND : Action.RESUME,
                            null,
                            null,
                            provenance));
                }
            }
            for (int i = 0; i < commands.size(); i += ConsentBatch.MAX_COMMANDS) {
                List<ConsentCommand> chunk =
                        commands.subList(i, Math.min(commands.size(), i + ConsentBatch.MAX_COMMANDS));
                updated += consent.apply(new ConsentBatch(workspaceId, context, chunk)).stream()
                        .filter(outcome -> outcome instanceof ChangeOutcome.Changed)
                        .count();
            }
            after = page.isEmpty() ? after : page.getLast();
        } while (page.size() == CONTACT_PAGE);
        return Map.of("updated", updated);
    }

    /** Subscribed, or paused with the pause over: what suspend_all must pause. */
    private static boolean receives(Subscription s, Instant now) {
        return s.status() == Status.SUBSCRIBED
                || (s.status() == Status.SUSPENDED
                        && s.suspendedUntil() != null
                        && !s.suspendedUntil().isAfter(now));
    }

    /** A pause whose last change was suspend_all's own (any later change, the person's included, names another source). */
    private static boolean madeBySuspendAll(Subscription s) {
        return s.status() == Status.SUSPENDED && SUSPEND_ALL_SOURCE.equals(s.source());
    }

    private Applied apply(
            long workspaceId,
            RequestContext context,
            AltcraftTargets.Target target,
            List<Action> actions,
            @Nullable Instant date,
            @Nullable Map<String, Object> properties,
            boolean quiet,
            Map<String, String> details,
            String method) {
        Provenance provenance =
                provenance(method, target.dbId(), target.resource().id(), details);
        List<ConsentCommand> commands = new ArrayList<>(actions.size());
        for (Action action : actions) {
            commands.add(new ConsentCommand(
                    ContactRef.id(target.profileId()),
                    target.channel().channel(),
                    target.address(),
                    target.resource().topic(),
                    action,
                    date,
                    null,
                    provenance,
                    properties,
                    quiet));
        }
        Applied applied;
        try {
            // a single change commits with the others arriving meanwhile, as the native single writes do; an unchecked
            // profile is checked by the change, under the profile's lock
            applied = writes.applySeeingBefore(
                    new ConsentBatch(
                            workspaceId,
                            context,
                            commands,
                            false,
                            target.profileChecked() ? null : AltcraftTargets.inDatabase(target)),
                    Function.identity());
        } catch (InvalidInput e) {
            // every command's occurredAt is the call's date (an address was checked when the call was read)
            throw e.field().endsWith(".occurredAt")
                    ? AltcraftError.INVALID_FIELD.failure("date: " + e.getMessage())
                    : e;
        }
        if (!target.profileChecked()
                && applied.outcomes().getFirst() instanceof ChangeOutcome.Rejected rejected
                && rejected.reason() == RejectReason.CONTACT_NOT_FOUND) {
            // no such profile in the database, and nothing written: the error a checked profile gives (or the change,
            // where the profile was moved into the database meanwhile)
            return apply(
                    workspaceId,
                    context,
                    targets.check(workspaceId, target),
                    actions,
                    date,
                    properties,
                    quiet,
                    details,
                    method);
        }
        for (ChangeOutcome outcome : applied.outcomes()) {
            if (outcome instanceof ChangeOutcome.Rejected rejected) {
                throw AltcraftError.REFUSED.failure(
                        rejected.message() + " (" + rejected.reason().code() + ")");
            }
        }
        return applied;
    }

    /** The consent actions that set an Altcraft status from the current state; no status keeps it. */
    private static List<Action> actions(@Nullable AltcraftStatus status, @Nullable Subscription current) {
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

    /** What set did: subscribed (created), restored, the new status, unchanged, or stale (older than the state). */
    private static String action(List<ChangeOutcome> outcomes, @Nullable Subscription before) {
        ChangeOutcome first = outcomes.getFirst();
        ChangeOutcome last = outcomes.getLast();
        if (first instanceof ChangeOutcome.Created) {
            return "subscribed";
        }
        return switch (last) {
            case ChangeOutcome.Changed changed ->
                before != null && before.deleted() && !changed.subscription().deleted()
                        ? "restored"
                        : AltcraftStatus.of(changed.subscription().status()).apiName();
            case ChangeOutcome.Unchanged unchanged -> "unchanged";
            case ChangeOutcome.Stale stale -> "stale";
            case ChangeOutcome.Created created -> "subscribed";
            case ChangeOutcome.Rejected rejected -> "refused";
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

    private static Provenance provenance(
            String method, long dbId, @Nullable Long resourceId, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>(extra);
        details.put("method", method);
        details.put("dbId", Long.toString(dbId));
        if (resourceId != null) {
            details.put("resourceId", Long.toString(resourceId));
        }
        return new Provenance(SOURCE, null, null, null, null, details);
    }

    private static void putIfGiven(Map<String, String> details, String name, @Nullable String value) {
        if (value != null) {
            details.put(name, value);
        }
    }
}
