package io.optledger.console;

import org.springframework.http.HttpStatus;

/** A console request refused before its work: not signed in, a missing scope, a bad form token, a foreign origin. */
class ConsoleRefused extends RuntimeException {

    private final HttpStatus status;

    ConsoleRefused(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
