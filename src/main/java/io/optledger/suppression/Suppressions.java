package io.optledger.suppression;

import io.optledger.access.Workspaces;
import io.optledger.audit.Actor;
import io.optledger.audit.WorkspaceEventKind;
import io.optledger.audit.WorkspaceLedger;
import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.NotFound;
import io.optledger.suppression.internal.JdbcSuppressions;
import io.optledger.suppression.internal.JdbcSuppressions.Found;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Adds, lists and lifts suppressions; addresses are normalised as their channel's are. */
@Service
public class Suppressions {

    private final JdbcSuppressions suppressions;
    private final Workspaces workspaces;
    private final Invalidations invalidations;
    private final WorkspaceLedger ledger;
    private final Clock clock;
    private final Tombstones tombstones;

    Suppressions(
            JdbcSuppressions suppressions,
            Tombstones tombstones,
            Workspaces workspaces,
            Invalidations invalidations,
            WorkspaceLedger ledger,
            Clock clock) {
        this.ledger = ledger;
        this.tombstones = tombstones;
        this.suppressions = suppressions;
        this.workspaces = workspaces;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    /**
     * Suppresses the address (or gives its suppression a new reason), and records it on the workspace ledger in the
     * same transaction; the same reason again records nothing.
     */
    @Transactional
    public Suppression suppress(
            long workspaceId,
            Channel channel,
            String address,
            SuppressionReason reason,
            @Nullable String note,
            Actor actor) {
        if (reason == SuppressionReason.ERASED) {
            throw new InvalidInput("reason", "ERASED is what erasing a contact leaves (POST /v1/contacts/{id}/erase)");
        }
        String normalised = channel.normaliseAddress(address, workspaces.defaultRegion(workspaceId));
        List<Suppression> before = suppressions.findAll(workspaceId, List.of(channel), List.of(normalised));
        Suppression suppression =
                suppressions.upsert(workspaceId, new Suppression(channel, normalised, reason, note, clock.instant()));
        SuppressionReason was = before.isEmpty() ? null : before.getFirst().reason();
        if (was != reason) {
            ledger.append(
                    workspaceId,
                    was == null ? WorkspaceEventKind.SUPPRESSION_ADDED : WorkspaceEventKind.SUPPRESSION_CHANGED,
                    subject(channel, normalised),
                    was == null ? null : was.name(),
                    reason.name(),
                    withNote(actor, note));
        }
        invalidations.publish(workspaceId, List.of(Invalidation.address(workspaceId, channel.name(), normalised)));
        return suppression;
    }

    /**
     * The suppressions among the given (already normalised) channel addresses, which pair up by index; an erased
     * address with no other suppression is one with reason {@link SuppressionReason#ERASED}.
     */
    public List<Suppression> findAll(long workspaceId, List<Channel> channels, List<String> addresses) {
        // one round trip: with the tombstones where this node knows the erasure key, else with the key
        Found lookup = tombstones
                .digests(workspaceId, channels, addresses)
                .map(digests -> suppressions.findAllAndErased(workspaceId, channels, addresses, digests))
                .orElseGet(() -> suppressions.findAllAndKey(workspaceId, channels, addresses));
        List<Suppression> found = new ArrayList<>(lookup.suppressions());
        Map<Integer, Instant> erased = lookup.erased();
        if (lookup.erasureKey() != null) {
            // the first lookup on this node since the workspace's first erasure: its tombstones read this once apart
            tombstones.remember(workspaceId, lookup.erasureKey());
            erased = tombstones.among(workspaceId, channels, addresses);
        }
        erased.forEach((i, at) -> {
            Channel channel = channels.get(i);
            String address = addresses.get(i);
            if (found.stream()
                    .noneMatch(x -> x.channel() == channel && x.address().equals(address))) {
                found.add(new Suppression(channel, address, SuppressionReason.ERASED, null, at));
            }
        });
        return found;
    }

    /** Suppressions ordered by channel and address, after the given position (empty strings: from the start). */
    public List<Suppression> page(long workspaceId, String afterChannel, String afterAddress, int limit) {
        return suppressions.page(workspaceId, afterChannel, afterAddress, limit);
    }

    /** Lifts the address's suppression, recorded on the workspace ledger with who lifted it and why. */
    @Transactional
    public void lift(long workspaceId, Channel channel, String address, Actor actor) {
        String normalised = channel.normaliseAddress(address, workspaces.defaultRegion(workspaceId));
        SuppressionReason lifted = suppressions
                .delete(workspaceId, channel, normalised)
                .map(Suppression::reason)
                .or(() -> tombstones.lift(workspaceId, channel, normalised).map(at -> SuppressionReason.ERASED))
                .orElseThrow(() -> new NotFound("no suppression of that " + channel + " address"));
        ledger.append(
                workspaceId,
                WorkspaceEventKind.SUPPRESSION_LIFTED,
                subject(channel, normalised),
                lifted.name(),
                null,
                actor);
        invalidations.publish(workspaceId, List.of(Invalidation.address(workspaceId, channel.name(), normalised)));
    }

    /** How the workspace ledger names a suppressed address. */
    public static String subject(Channel channel, String address) {
        return channel.name() + ":" + address;
    }

    private static Actor withNote(Actor actor, @Nullable String note) {
        return note == null || actor.reason() != null
                ? actor
                : new Actor(actor.source(), note, actor.apiKeyId(), actor.requestId(), actor.ip(), actor.userAgent());
    }
}
