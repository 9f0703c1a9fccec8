package io.optledger.dialect.altcraft;

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
import io.optledger.contact.Contact;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code profiles/message_unsub}: the unsubscribe link Altcraft puts in its messages. A withdrawal, so it always takes
 * effect: without categories every subscription of the profile to the resource is an opt-out (and an address of the
 * profile on the resource's email or sms channel that has none gets an opt-out of its own, so a topic that defaults
 * to opted in stops too); with categories, those leave the subscriptions' {@code cats} (all of them leaving is an
 * opt-out).
 */
@Component
class AltcraftUnsubscribes {

    private static final String METHOD = "profiles/message_unsub";

    private final ConsentReads consent;
    private final GroupCommit writes;
    private final AltcraftRegistry registry;
    private final AltcraftProfiles profiles;
    private final Clock clock;

    AltcraftUnsubscribes(
            ConsentReads consent,
            GroupCommit writes,
            AltcraftRegistry registry,
            AltcraftProfiles profiles,
            Clock clock) {
        this.consent = consent;
        this.writes = writes;
        this.registry = registry;
        this.profiles = profiles;
        this.clock = clock;
    }

    /** Unsubscribes the profile from the resource (or some of its categories); answers the profile's id. */
    Map<String, Object> messageUnsub(long workspaceId, RequestContext context, AltcraftRequest request) {
        Resource resource = resource(workspaceId, request);
        Contact profile = profile(workspaceId, request);
        List<String> categories = request.texts("categories");
        if (categories != null) {
            for (String category : categories) {
                if (!resource.categories().contains(category)) {
                    throw AltcraftRequest.invalid(
                            "categories", "categories of resource " + resource.id() + " " + resource.categories());
                }
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("method", METHOD);
        details.put("resourceId", Long.toString(resource.id()));
        String smid = request.text("smid");
        if (smid != null) {
            details.put("smid", smid);
        }
        Provenance provenance = new Provenance(AltcraftSubscriptions.SOURCE, null, null, null, null, details);
        Instant now = clock.instant();
        List<ConsentCommand> commands = new ArrayList<>();
        Set<String> covered = new LinkedHashSet<>();
        for (Subscription s : consent.subscriptionsOf(workspaceId, profile.id())) {
            if (!s.topic().equals(resource.topic())
                    || s.deleted()
                    || AltcraftChannel.of(s.channel()).isEmpty()) {
                continue;
            }
            covered.add(s.channel() + " " + s.address());
            List<String> remaining =
                    categories == null || categories.isEmpty() ? List.of() : remaining(s, resource, categories);
            if (remaining.isEmpty()) {
                commands.add(
                        command(profile, s.channel(), s.address(), resource, Action.OPT_OUT, null, provenance, null));
            } else {
                // a property change, dated no earlier than the state so it is never stale: it must take effect
                Instant at = s.occurredAt().isAfter(now) ? s.occurredAt() : null;
                commands.add(command(
                        profile,
                        s.channel(),
                        s.address(),
                        resource,
                        Action.KEEP,
                        at,
                        provenance,
                        Map.of(AltcraftSetRequest.CATS, remaining)));
            }
        }
        if (categories == null || categories.isEmpty()) {
            for (AltcraftChannel channel : List.of(AltcraftChannel.EMAIL, AltcraftChannel.SMS)) {
                String address = channel == AltcraftChannel.EMAIL ? profile.email() : profile.phone();
                if (resource.has(channel) && address != null && !covered.contains(channel.channel() + " " + address)) {
                    commands.add(command(
                            profile, channel.channel(), address, resource, Action.OPT_OUT, null, provenance, null));
                }
            }
        }
        if (!commands.isEmpty()) {
            // committed with the other changes arriving meanwhile (GroupCommit), as one batch
            for (ChangeOutcome outcome :
                    writes.apply(new ConsentBatch(workspaceId, context, commands), Function.identity())) {
                if (outcome instanceof ChangeOutcome.Rejected rejected) {
                    throw AltcraftError.REFUSED.failure(
                            rejected.message() + " (" + rejected.reason().code() + ")");
                }
            }
        }
        return Map.of("profile_id", Long.toString(profile.id()));
    }

    /** The resource the link's {@code rtoken} names (or, ours, a {@code resource_id}). */
    private Resource resource(long workspaceId, AltcraftRequest request) {
        String rtoken = request.text("rtoken");
        if (rtoken != null) {
            return registry.resourceByToken(workspaceId, rtoken);
        }
        Long resourceId = request.optionalId("resource_id");
        if (resourceId == null) {
            throw AltcraftError.INVALID_FIELD.failure("rtoken is required (the resource token of the link)");
        }
        return registry.resource(workspaceId, resourceId);
    }

    /**
     * The profile: {@code profile_id} (in {@code db_id} when given), else {@code smid}, which names the profile its
     * message was sent to (a profile id: the messages OptLedger's integrations send carry it there).
     */
    private Contact profile(long workspaceId, AltcraftRequest request) {
        String profileId = request.text("profile_id");
        if (profileId == null) {
            profileId = request.text("smid");
        }
        if (profileId == null) {
            throw AltcraftError.INVALID_FIELD.failure("smid is required (the message the link was in)");
        }
        Long dbId = request.optionalId("db_id");
        if (dbId != null) {
            return profiles.resolve(
                    workspaceId, registry.database(workspaceId, dbId).id(), profileId);
        }
        return profiles.resolveInAnyDatabase(workspaceId, profileId);
    }

    private static List<String> remaining(Subscription s, Resource resource, List<String> leaving) {
        List<String> current = new ArrayList<>();
        if (s.properties().get(AltcraftSetRequest.CATS) instanceof List<?> cats && !cats.isEmpty()) {
            cats.forEach(cat -> current.add(String.valueOf(cat)));
        } else {
            // no categories chosen is every category: leaving some keeps the others
            current.addAll(resource.categories());
        }
        current.removeAll(leaving);
        return current;
    }

    private static ConsentCommand command(
            Contact profile,
            io.optledger.contact.Channel channel,
            String address,
            Resource resource,
            Action action,
            @Nullable Instant occurredAt,
            Provenance provenance,
            @Nullable Map<String, Object> properties) {
        return new ConsentCommand(
                ContactRef.id(profile.id()),
                channel,
                address,
                resource.topic(),
                action,
                occurredAt,
                null,
                provenance,
                properties,
                false);
    }
}
