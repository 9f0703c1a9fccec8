package io.optledger.consent;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * A write that could not be carried out now, or whose commit's outcome is unknown: the caller answers 503 (retry, with
 * the same Idempotency-Key to be safe). Never thrown for a write that committed.
 */
public class WriteUnavailable extends TransientDataAccessResourceException {

    WriteUnavailable(String message) {
        super(message);
    }

    WriteUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
