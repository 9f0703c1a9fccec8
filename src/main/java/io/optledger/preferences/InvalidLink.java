package io.optledger.preferences;

/**
 * A link that does not open anything: tampered, expired, of a retired key, another kind's or of nothing. The person
 * holding it is told only that it is no longer valid; the reason is for the log.
 */
public class InvalidLink extends RuntimeException {

    public InvalidLink(String reason) {
        super(reason, null, false, false);
    }
}
