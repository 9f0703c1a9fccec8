package io.optledger.audit;

import org.jspecify.annotations.Nullable;

/** What a workspace ledger event records, and the change-stream event it also is, if any (docs/webhooks.md). */
public enum WorkspaceEventKind {
    SUPPRESSION_ADDED("suppression.added"),
    /** A suppression already there given another reason: a complaint over a bounce, say. */
    SUPPRESSION_CHANGED("suppression.changed"),
    SUPPRESSION_LIFTED("suppression.lifted"),
    TOPIC_CREATED(null),
    TOPIC_CHANGED(null),
    /** An identifier taken from a contact (a recycled phone number): subject {@code contact:<id>}. */
    IDENTIFIER_DETACHED(null);

    private final @Nullable String streamType;

    WorkspaceEventKind(@Nullable String streamType) {
        this.streamType = streamType;
    }

    /** The event type on the outbox (webhooks, Kafka), or null when the change is not streamed. */
    public @Nullable String streamType() {
        return streamType;
    }
}
