package io.optledger.suppression;

import io.optledger.access.Workspaces;
import io.optledger.contact.Channel;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.NotFound;
import io.optledger.suppression.internal.JdbcSuppressions;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Adds, lists and lifts suppressions; addresses are normalised as their channel's are. */
@Service
public class Suppressions {

    private final JdbcSuppressions suppressions;
    private final Workspaces workspaces;
    private final Invalidations invalidations;
    private final Clock clock;

    Suppressions(JdbcSuppressions suppressions, Workspaces workspaces, Invalidations invalidations, Clock clock) {
        this.suppressions = suppressions;
        this.workspaces = workspaces;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    public Suppression suppress(
            long workspaceId, Channel channel, String address, SuppressionReason reason, @Nullable String note) {
        String normalised = channel.normaliseAddress(address, workspaces.defaultRegion(workspaceId));
        Suppression suppression =
                suppressions.upsert(workspaceId, new Suppression(channel, normalised, reason, note, clock.instant()));
        invalidations.publish(workspaceId, List.of(Invalidation.address(workspaceId, channel.name(), normalised)));
        return suppression;
    }

    /** The suppressions among the given (already normalised) channel addresses, which pair up by index. */
    public List<Suppression> findAll(long workspaceId, List<Channel> channels, List<String> addresses) {
        return suppressions.findAll(workspaceId, channels, addresses);
    }

    /** Suppressions ordered by channel and address, after the given position (empty strings: from the start). */
    public List<Suppression> page(long workspaceId, String afterChannel, String afterAddress, int limit) {
        return suppressions.page(workspaceId, afterChannel, afterAddress, limit);
    }

    public void lift(long workspaceId, Channel channel, String address) {
        String normalised = channel.normaliseAddress(address, workspaces.defaultRegion(workspaceId));
        if (!suppressions.delete(workspaceId, channel, normalised)) {
            throw new NotFound("no suppression of that " + channel + " address");
        }
        invalidations.publish(workspaceId, List.of(Invalidation.address(workspaceId, channel.name(), normalised)));
    }
}
