package io.optledger.dialect.altcraft;

import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Contacts;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Altcraft's subscriptions/suspend_all and unsuspend_all onto the consent core: a database's pauses in bulk. */
@Component
class AltcraftSuspendAll {

    /** The source of the pauses suspend_all makes: unsuspend_all resumes these and no other pause. */
    private static final String SUSPEND_ALL_SOURCE = "altcraft:suspend_all";

    private static final int CONTACT_PAGE = 500;

    private final ConsentService consent;
    private final ConsentReads reads;
    private final AltcraftTargets targets;
    private final AltcraftRegistry registry;
    private final Contacts contacts;
    private final Clock clock;

    AltcraftSuspendAll(
            ConsentService consent,
            ConsentReads reads,
            AltcraftTargets targets,
            AltcraftRegistry registry,
            Contacts contacts,
            Clock clock) {
        this.consent = consent;
        this.reads = reads;
        this.targets = targets;
        this.registry = registry;
        this.contacts = contacts;
        this.clock = clock;
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
        Provenance bulk = AltcraftSubscriptions.provenance(method, dbId, resourceId, Map.of());
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
            for (Subscription s : page.isEmpty() ? List.<Subscription>of() : reads.subscriptionsOf(workspaceId, page)) {
                // what receives (the consent model's active rule) is what suspend_all pauses
                if ((suspend ? s.isActiveAt(now) : madeBySuspendAll(s))
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

    /** A pause whose last change was suspend_all's own (any later change, the person's included, names another source). */
    private static boolean madeBySuspendAll(Subscription s) {
        return s.status() == Status.SUSPENDED && SUSPEND_ALL_SOURCE.equals(s.source());
    }
}
