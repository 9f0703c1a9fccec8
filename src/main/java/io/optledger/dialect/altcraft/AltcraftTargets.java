package io.optledger.dialect.altcraft;

import io.optledger.access.Workspaces;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.Subscription;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What an Altcraft subscription call names: the database, the profile in it, the resource, the channel and the
 * address; and the profile's subscriptions to the resource, read once per call.
 */
@Component
class AltcraftTargets {

    private final ConsentReads consent;
    private final AltcraftRegistry registry;
    private final AltcraftProfiles profiles;
    private final Workspaces workspaces;

    AltcraftTargets(ConsentReads consent, AltcraftRegistry registry, AltcraftProfiles profiles, Workspaces workspaces) {
        this.consent = consent;
        this.registry = registry;
        this.profiles = profiles;
        this.workspaces = workspaces;
    }

    /**
     * The subscription a call names: profile, resource, channel and address. {@code profileChecked} false: the profile
     * id is a contact id as the call gave it, not yet checked to be a profile of the database; the change that names it
     * checks that itself ({@link #inDatabase}).
     */
    record Target(
            long dbId,
            long profileId,
            Resource resource,
            AltcraftChannel channel,
            String address,
            boolean profileChecked) {

        /** The same subscription, its profile checked. */
        Target checked(long profileId) {
            return new Target(dbId, profileId, resource, channel, address, true);
        }
    }

    Target target(long workspaceId, AltcraftRequest request) {
        return target(workspaceId, request, true);
    }

    /**
     * {@link #target}, except that a {@code profile_id} that may be a contact id is taken as one, unchecked: the change
     * checks it under the profile's lock, in the query it makes anyway ({@link #inDatabase}), instead of a query of its
     * own first. Any other {@code profile_id} is resolved here.
     */
    Target targetToCheck(long workspaceId, AltcraftRequest request) {
        return target(workspaceId, request, false);
    }

    /** The condition that makes a change of an unchecked target's profile check it: the profile is in the database. */
    static ConsentBatch.ContactAttribute inDatabase(Target target) {
        return new ConsentBatch.ContactAttribute(AltcraftProfiles.DB_ATTRIBUTE, Long.toString(target.dbId()));
    }

    /**
     * The target, its profile checked as {@link #target} checks it: what a change that found its unchecked profile
     * missing or in another database answers (the error {@link #target} gives), unless it was moved there meanwhile.
     */
    Target check(long workspaceId, Target target) {
        return target.checked(profiles.resolveId(workspaceId, target.dbId(), Long.toString(target.profileId())));
    }

    private Target target(long workspaceId, AltcraftRequest request, boolean checkProfile) {
        long dbId = database(workspaceId, request);
        Resource resource = registry.resource(workspaceId, request.requiredId("resource_id"));
        String given = request.requiredText("profile_id");
        Long asContactId = checkProfile ? null : AltcraftProfiles.contactId(given);
        long profileId = asContactId != null ? asContactId : profiles.resolveId(workspaceId, dbId, given);
        AltcraftChannel channel = AltcraftChannel.of(request.requiredText("channel"))
                .orElseThrow(
                        () -> AltcraftRequest.invalid("channel", "one of email, sms, push, telegram_bot, whatsapp"));
        if (!resource.has(channel)) {
            throw AltcraftRequest.invalid("channel", "one of the resource's channels " + resource.channels());
        }
        return new Target(
                dbId,
                profileId,
                resource,
                channel,
                AltcraftAddresses.address(channel, request, workspaces.defaultRegion(workspaceId)),
                asContactId == null);
    }

    long database(long workspaceId, AltcraftRequest request) {
        return registry.database(workspaceId, request.requiredId("db_id")).id();
    }

    /** The target's subscription, or the error Altcraft answers when there is none. */
    static Subscription existing(List<Subscription> subscriptions, Target target) {
        return find(subscriptions, target)
                .orElseThrow(() -> AltcraftError.UNKNOWN_SUBSCRIPTION.failure("profile "
                        + target.profileId() + ", resource "
                        + target.resource().id() + ", " + target.channel().apiName()));
    }

    /** The profile's subscriptions to the resource's topic; the profile was just found, so it is not looked up again. */
    List<Subscription> subscriptionsOfResource(long workspaceId, long profileId, Resource resource) {
        return consent.subscriptionsOf(workspaceId, List.of(profileId)).stream()
                .filter(s -> s.topic().equals(resource.topic()))
                .toList();
    }

    static Optional<Subscription> find(List<Subscription> subscriptions, Target target) {
        return subscriptions.stream()
                .filter(s ->
                        s.channel() == target.channel().channel() && s.address().equals(target.address()))
                .findFirst();
    }
}
