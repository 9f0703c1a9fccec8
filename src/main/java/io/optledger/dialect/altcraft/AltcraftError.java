package io.optledger.dialect.altcraft;

import org.springframework.http.HttpStatus;

/** The errors the Altcraft dialect answers, with their {@code error} code and HTTP status (see docs/dialects/altcraft.md). */
enum AltcraftError {
    MALFORMED_BODY(1, HttpStatus.BAD_REQUEST, "Malformed request body"),
    INVALID_TOKEN(2, HttpStatus.UNAUTHORIZED, "Invalid API token"),
    FORBIDDEN(3, HttpStatus.FORBIDDEN, "The API token lacks the permission"),
    UNKNOWN_METHOD(4, HttpStatus.NOT_FOUND, "Unknown method"),
    INVALID_FIELD(5, HttpStatus.BAD_REQUEST, "Invalid field"),
    UNKNOWN_DATABASE(6, HttpStatus.NOT_FOUND, "Database not found"),
    UNKNOWN_RESOURCE(7, HttpStatus.NOT_FOUND, "Resource not found"),
    UNKNOWN_PROFILE(8, HttpStatus.NOT_FOUND, "Profile not found"),
    UNKNOWN_SUBSCRIPTION(9, HttpStatus.NOT_FOUND, "Subscription not found"),
    REFUSED(10, HttpStatus.CONFLICT, "Change refused"),
    PROFILE_CONFLICT(11, HttpStatus.CONFLICT, "Profile conflict"),
    TOO_LARGE(12, HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),
    TOO_SLOW(13, HttpStatus.REQUEST_TIMEOUT, "Request body not sent in time"),
    OVERLOADED(98, HttpStatus.SERVICE_UNAVAILABLE, "Service overloaded; retry shortly"),
    INTERNAL(99, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; it has been logged");

    static final String SUCCESS_TEXT = "Successful operation";

    private final int code;
    private final HttpStatus status;
    private final String text;

    AltcraftError(int code, HttpStatus status, String text) {
        this.code = code;
        this.status = status;
        this.text = text;
    }

    int code() {
        return code;
    }

    HttpStatus status() {
        return status;
    }

    String text() {
        return text;
    }

    AltcraftFailure failure(String detail) {
        return new AltcraftFailure(this, text + ": " + detail);
    }
}
