package io.optledger.consent.ledger;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentPolicy;
import io.optledger.consent.ConsentPolicy.ConsentTime;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state a contact's events replay to (docs/ledger.md, "Verification"): applied events set it, reaffirmations of a
 * consent action move its time, stale and rejected events leave it, and the erasure ends every subscription. Used by
 * the service's verify and by the offline verifier alike, so both read the ledger the same way.
 */
public final class LedgerReplay {

    /**
     * A subscription as the ledger names it: by its address, or, once the address is erased, by the address's
     * commitment ({@code "#" + hex}; for an erased form 1 event, which has none, by {@code "#erased"}).
     */
    public record Key(Channel channel, String address, String topic) {

        public static Key of(Subscription s) {
            return new Key(s.channel(), s.address(), s.topic());
        }
    }

    /** What the consent rules read of a state: {@code receivedAt} counts when a withdrawal competes with it. */
    public record State(
            Status status, @Nullable Instant until, Instant occurredAt, Instant receivedAt, boolean deleted) {

        public static State of(Subscription s) {
            return new State(s.status(), s.suspendedUntil(), s.occurredAt(), s.updatedAt(), s.deleted());
        }
    }

    private final Map<Key, State> states = new LinkedHashMap<>();

    /** The states so far, in the order their subscriptions first appeared. */
    public Map<Key, State> states() {
        return Map.copyOf(states);
    }

    public static Key keyOf(ConsentEvent e) {
        if (e.channel() == null || e.topic() == null) {
            throw new IllegalStateException("event " + e.seq() + " names no subscription");
        }
        String address = e.address();
        if (address == null) {
            String commitment = e.commitments().get("address");
            address = commitment == null ? "#erased" : "#" + commitment;
        }
        return new Key(e.channel(), address, e.topic());
    }

    public void apply(ConsentEvent event) {
        if (event.action() == Action.ERASE) {
            states.clear();
            return;
        }
        switch (event.outcome()) {
            case CREATED, CHANGED, UNCHANGED -> {
                Key key = keyOf(event);
                State p = states.get(key);
                ConsentTime time = ConsentPolicy.consentTime(
                        p == null || p.status() == Status.DETACHED
                                ? null
                                : new ConsentTime(p.occurredAt(), p.receivedAt()),
                        event.action(),
                        event.occurredAt(),
                        event.recordedAt());
                if (event.outcome() != EventOutcome.UNCHANGED) {
                    states.put(
                            key,
                            new State(
                                    event.to(),
                                    event.suspendedUntil(),
                                    time.occurredAt(),
                                    time.receivedAt(),
                                    event.action() == Action.DELETE));
                } else if (p != null) {
                    // a reaffirmation leaves the state as it was, but a consent action moves its time
                    states.put(
                            key, new State(p.status(), p.until(), time.occurredAt(), time.receivedAt(), p.deleted()));
                }
            }
            case STALE, REJECTED -> {}
        }
    }
}
