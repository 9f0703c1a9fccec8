package io.optledger.consent;

import java.util.List;

/**
 * What a batch did: an outcome per command, in order, and the subscriptions its contacts had just before its commands
 * applied, read under the contacts' locks (so that what a caller answers from them, a dialect's "was this new?", is
 * exactly what its change met).
 */
public record Applied(List<ChangeOutcome> outcomes, List<Subscription> before) {

    public Applied {
        outcomes = List.copyOf(outcomes);
        before = List.copyOf(before);
    }
}
