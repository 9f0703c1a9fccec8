package io.optledger.dialect.altcraft;

import io.optledger.consent.Action;
import io.optledger.consent.Applied;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ContactRef;
import io.optledger.consent.GroupCommit;
import io.optledger.consent.Provenance;
import io.optledger.consent.RejectReason;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Subscription;
import io.optledger.platform.InvalidInput;
import io.optledger.suppression.Suppressions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Altcraft's writes of one subscription onto the consent core: set, delete and undelete (suspend_all and unsuspend_all
 * are {@link AltcraftSuspendAll}'s).
 */
@Component
class AltcraftSubscriptions {

    static final String SOURCE = "altcraft";

    private final GroupCommit writes;
    private final AltcraftTargets targets;
    private final Suppressions suppressions;

    AltcraftSubscriptions(GroupCommit writes, AltcraftTargets targets, Suppressions suppressions) {
        this.writes = writes;
        this.targets = targets;
        this.suppressions = suppressions;
    }

    /** subscriptions/set: creates or changes one subscription and says what happened. */
    Map<String, Object> set(long workspaceId, RequestContext context, AltcraftRequest request) {
        AltcraftTargets.Target named = targets.targetToCheck(workspaceId, request);
        AltcraftSetRequest call = AltcraftSetRequest.read(request, named.resource());

        // A status names its actions, except that none, or a pause, depends on whether the subscription exists: read it
        // first only then. What the answer says of the state before (new? restored?) is what the change met, read
        // under the profile's lock in the change's own transaction.
        boolean actionsNeedState = call.actionsNeedState();
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
                call.actions(known),
                call.date(),
                call.properties(),
                call.quiet(),
                call.details(),
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

    /** The provenance of an Altcraft subscription call: its method, database and resource, and any details of its own. */
    static Provenance provenance(String method, long dbId, @Nullable Long resourceId, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>(extra);
        details.put("method", method);
        details.put("dbId", Long.toString(dbId));
        if (resourceId != null) {
            details.put("resourceId", Long.toString(resourceId));
        }
        return new Provenance(SOURCE, null, null, null, null, details);
    }
}
