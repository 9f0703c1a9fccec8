package io.optledger.dialect.capillary;

import org.springframework.http.HttpStatus;

/** A request Capillary would refuse as a whole, with its HTTP status and code; rendered by {@link CapillaryErrors}. */
final class CapillaryFailure extends RuntimeException {

    private final HttpStatus status;
    private final int code;

    CapillaryFailure(HttpStatus status, int code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static CapillaryFailure badRequest(String message) {
        return new CapillaryFailure(HttpStatus.BAD_REQUEST, HttpStatus.BAD_REQUEST.value(), message);
    }

    static CapillaryFailure of(CapillaryCode code, String detail) {
        return new CapillaryFailure(HttpStatus.BAD_REQUEST, code.code(), code.message(detail));
    }

    HttpStatus status() {
        return status;
    }

    int code() {
        return code;
    }
}
