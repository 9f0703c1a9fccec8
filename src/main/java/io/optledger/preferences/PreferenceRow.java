package io.optledger.preferences;

import io.optledger.contact.Channel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One topic on one channel as the preference page shows it: its state as eligibility answers it now, whether the
 * person can change it, and the form value that names it ({@code EMAIL:marketing}).
 */
public record PreferenceRow(
        Channel channel,
        String topic,
        String name,
        @Nullable String description,
        boolean marketing,
        boolean mandatory,
        State state,
        @Nullable Instant until,
        boolean blocked) {

    /** What the page says of a subscription. */
    public enum State {
        SUBSCRIBED,
        NOT_SUBSCRIBED,
        /** Opted in, awaiting the person's confirmation. */
        PENDING,
        /** Paused, until {@link #until} if set. */
        SUSPENDED
    }

    /** Whether the checkbox is ticked: subscribed, or on the way to it, or paused. */
    public boolean on() {
        return state != State.NOT_SUBSCRIBED;
    }

    public String field() {
        return channel.name() + ":" + topic;
    }
}
