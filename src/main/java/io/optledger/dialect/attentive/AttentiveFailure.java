package io.optledger.dialect.attentive;

import org.springframework.http.HttpStatus;

/** A request Attentive would refuse, with its status; rendered by {@link AttentiveErrors}. */
final class AttentiveFailure extends RuntimeException {

    private final HttpStatus status;

    AttentiveFailure(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    static AttentiveFailure badRequest(String message) {
        return new AttentiveFailure(HttpStatus.BAD_REQUEST, message);
    }

    HttpStatus status() {
        return status;
    }
}
