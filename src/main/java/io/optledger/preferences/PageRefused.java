package io.optledger.preferences;

import org.springframework.http.HttpStatus;

/** A public page request refused before anything is done: too many requests (429) or a cross-site post (403). */
class PageRefused extends RuntimeException {

    private final HttpStatus status;
    private final long retryAfterSeconds;

    PageRefused(HttpStatus status, String reason, long retryAfterSeconds) {
        super(reason, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    HttpStatus status() {
        return status;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
