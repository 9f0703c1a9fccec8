package io.optledger.consent;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The subscriptions a consent batch left PENDING by asking for an opt-in ({@link Action#REQUEST_OPT_IN} on a topic
 * that asks double opt-in on the channel, or {@link Action#AWAIT_CONFIRMATION}), whether new, changed or reaffirmed.
 *
 * <p>Published by {@link ConsentService#apply} inside its transaction, once the batch is written, for double opt-in to
 * ask each for its confirmation. Listeners run synchronously in that transaction: whatever they write commits with the
 * change, and a rollback (or a listener's exception, which fails the batch) leaves none of it.
 */
public record PendingOptInsRecorded(long workspaceId, RequestContext context, List<PendingOptIn> optIns) {

    public PendingOptInsRecorded {
        optIns = List.copyOf(optIns);
    }

    /**
     * One subscription left PENDING: its state now, the action that asked, the status before ({@code PENDING} for a
     * request repeated while pending; null for a new subscription) and where the request came from.
     */
    public record PendingOptIn(
            Subscription subscription,
            Action action,
            @Nullable Status from,
            Provenance provenance) {}
}
