package io.optledger.messaging.email;

import java.time.Duration;

/**
 * How long an email opt-in waits for its confirmation ({@code optledger.email.confirmation-days}, 7), and how often a
 * repeated request may ask again ({@code optledger.email.resend-interval}, 10 minutes).
 */
public record ConfirmationWindow(Duration validFor, Duration resendInterval) {

    public ConfirmationWindow {
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalStateException("optledger.email.confirmation-days must be positive, not " + validFor);
        }
        if (resendInterval.isNegative()) {
            throw new IllegalStateException("optledger.email.resend-interval cannot be negative: " + resendInterval);
        }
    }

    /** The wait in whole days, at least one, as the email tells the person. */
    public long days() {
        long days = validFor.toDays();
        return Math.max(1, validFor.equals(Duration.ofDays(days)) ? days : days + 1);
    }
}
