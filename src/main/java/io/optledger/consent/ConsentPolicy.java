package io.optledger.consent;

import io.optledger.contact.Channel;
import io.optledger.topic.Topic;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The consent rules: which state a command leads to from the current one. Pure: no storage, no clock.
 *
 * <p>Time decides between competing changes: a command that happened before the current state's consent time (that of
 * its last consent action, see {@link #consentTime}) is stale. A withdrawal (opt-out, suspension, delete) is measured
 * against the time the consent took effect as received ({@link Subscription#effectiveSince()}), so a state dated ahead
 * of the clock can never make a withdrawal received later stale; every other command against the state's
 * {@code occurredAt}. On a tie, opt-out wins: an opt-out at the same instant applies, and an opt-in does not undo an
 * opt-out of the same instant. The rules with every action from every state: docs/ledger.md.
 */
public final class ConsentPolicy {

    /** The consent time of a state no consent action has set: the topic default held since ever. */
    public static final Instant NEVER_ASKED = Instant.EPOCH;

    private ConsentPolicy() {}

    /** The decision for one command. */
    public sealed interface Decision {
        /** Move to {@code status}: a new row, a change, or the same status reaffirmed; deleted or not. */
        record Apply(Status status, @Nullable Instant suspendedUntil, boolean deleted) implements Decision {

            Apply(Status status, @Nullable Instant suspendedUntil) {
                this(status, suspendedUntil, false);
            }
        }

        record Stale() implements Decision {}

        record Reject(RejectReason reason, String message) implements Decision {}
    }

    public static Decision decide(
            @Nullable Subscription current,
            Action action,
            Topic topic,
            Channel channel,
            Instant occurredAt,
            @Nullable Instant suspendedUntil) {
        current = live(current);
        if (current == null && action.needsSubscription()) {
            return new Decision.Reject(RejectReason.NO_SUBSCRIPTION, "there is no such subscription");
        }
        if (action == Action.ERASE) {
            throw new IllegalArgumentException("ERASE is not a change to a subscription: the erasure writes it");
        }
        if (action == Action.DETACH) {
            // a fact about the address, not a choice: never stale, and a mandatory topic ends with it too
            return new Decision.Apply(Status.DETACHED, null);
        }
        if (topic.mandatory() && (action == Action.OPT_OUT || action == Action.SUSPEND || action == Action.DELETE)) {
            return new Decision.Reject(
                    RejectReason.MANDATORY_TOPIC, "topic '" + topic.key() + "' is mandatory and cannot be left");
        }
        if (current != null && isStale(current, action, occurredAt)) {
            return new Decision.Stale();
        }
        Status now = current == null ? null : current.status();
        return switch (action) {
            case OPT_IN -> new Decision.Apply(Status.SUBSCRIBED, null);
            case REQUEST_OPT_IN ->
                now == Status.SUBSCRIBED || !topic.requiresDoubleOptIn(channel)
                        ? new Decision.Apply(Status.SUBSCRIBED, null)
                        : new Decision.Apply(Status.PENDING, null);
            case CONFIRM ->
                now == Status.PENDING || now == Status.SUBSCRIBED
                        ? new Decision.Apply(Status.SUBSCRIBED, null)
                        : new Decision.Reject(RejectReason.NOT_PENDING, "there is no pending opt-in to confirm");
            case OPT_OUT -> new Decision.Apply(Status.UNSUBSCRIBED, null);
            case SUSPEND -> {
                boolean subscribed =
                        now == null ? topic.defaultOptIn() : now == Status.SUBSCRIBED || now == Status.SUSPENDED;
                yield subscribed
                        ? new Decision.Apply(Status.SUSPENDED, suspendedUntil)
                        : new Decision.Reject(
                                RejectReason.NOT_SUBSCRIBED, "only a subscribed address can be suspended");
            }
            case RESUME ->
                now == Status.SUSPENDED || now == Status.SUBSCRIBED
                        ? new Decision.Apply(Status.SUBSCRIBED, null)
                        : new Decision.Reject(RejectReason.NOT_SUSPENDED, "the subscription is not suspended");
            case AWAIT_CONFIRMATION -> new Decision.Apply(Status.PENDING, null);
            case EXPIRE ->
                now == Status.PENDING
                        ? new Decision.Apply(Status.UNSUBSCRIBED, null)
                        : new Decision.Reject(RejectReason.NOT_PENDING, "there is no pending opt-in to expire");
            // both need a current subscription, checked above
            case DELETE -> new Decision.Apply(current.status(), current.suspendedUntil(), true);
            case KEEP -> new Decision.Apply(current.status(), current.suspendedUntil(), false);
            case DETACH, ERASE -> throw new IllegalStateException("decided above");
        };
    }

    /**
     * The state the rules read: a DETACHED subscription is the address's former owner's, so for whoever acts at the
     * address now it is as if there were none (a fresh start, with no time to be stale against).
     */
    public static @Nullable Subscription live(@Nullable Subscription current) {
        return current == null || current.status() == Status.DETACHED ? null : current;
    }

    /** True when applying {@code decision} to {@code current} changes nothing but the time of the last word. */
    public static boolean isUnchanged(@Nullable Subscription current, Decision.Apply decision) {
        return current != null
                && current.status() == decision.status()
                && Objects.equals(current.suspendedUntil(), decision.suspendedUntil())
                && current.deleted() == decision.deleted();
    }

    /**
     * A state's consent time: when its last consent action happened by the caller's account and when the service
     * received it. The stale rule measures every change against it.
     */
    public record ConsentTime(Instant occurredAt, Instant receivedAt) {

        public static ConsentTime of(Subscription s) {
            return new ConsentTime(s.occurredAt(), s.updatedAt());
        }
    }

    /**
     * The consent time of the state an applied action leaves. Only a consent action ({@link Action#movesConsentTime})
     * moves it; any other keeps the current one, or {@link #NEVER_ASKED} for a state it creates (a pause of a topic
     * that defaults to opted in). So a KEEP, a DELETE, a pause or a property change never makes an opt-out dated before
     * it, but after the last consent action, stale.
     */
    public static ConsentTime consentTime(
            @Nullable ConsentTime current, Action action, Instant occurredAt, Instant receivedAt) {
        if (action.movesConsentTime()) {
            return new ConsentTime(occurredAt, receivedAt);
        }
        return current != null ? current : new ConsentTime(NEVER_ASKED, NEVER_ASKED);
    }

    private static boolean isStale(Subscription current, Action action, Instant occurredAt) {
        int order = occurredAt.compareTo(action.isWithdrawal() ? current.effectiveSince() : current.occurredAt());
        if (order != 0) {
            return order < 0;
        }
        // same instant: opt-out wins in both directions
        return action != Action.OPT_OUT && current.status() == Status.UNSUBSCRIBED;
    }
}
