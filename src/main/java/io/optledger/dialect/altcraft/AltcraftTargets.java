package io.optledger.dialect.altcraft;

import io.optledger.access.Workspaces;
import io.optledger.consent.ConsentService;
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

    private final ConsentService consent;
    private final AltcraftRegistry registry;
    private final AltcraftProfiles profiles;
    private final Workspaces workspaces;

    AltcraftTargets(
            ConsentService consent, AltcraftRegistry registry, AltcraftProfiles profiles, Workspaces workspaces) {
        this.consent = consent;
        this.registry = registry;
        this.profiles = profiles;
        this.workspaces = workspaces;
    }

    /** The subscription a call names: profile, resource, channel and address. */
    record Target(long dbId, long profileId, Resource resource, AltcraftChannel channel, String address) {}

    Target target(long workspaceId, AltcraftRequest request) {
        long dbId = database(workspaceId, request);
        Resource resource = registry.resource(workspaceId, request.requiredId("resource_id"));
        long profileId = profiles.resolveId(workspaceId, dbId, request.requiredText("profile_id"));
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
                AltcraftAddresses.address(channel, request, workspaces.defaultRegion(workspaceId)));
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
