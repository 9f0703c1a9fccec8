package io.optledger.dialect.capillary;

/** Capillary's result codes, for items (v1.1 {@code item_status}, v2 warnings) and whole requests. */
enum CapillaryCode {
    SUCCESS(1000, "Subscription updated"),
    CUSTOMER_NOT_FOUND(1012, "Cannot find customer for provided mobile/external-id/e-mail/id"),
    BATCH_LIMIT_EXCEEDED(1060, "Batch limit exceeded"),
    INVALID_CHANNEL(1101, "Invalid channel"),
    INVALID_PRIORITY(1102, "Invalid priority"),
    INVALID_SCOPE(1103, "Invalid scope"),
    INVALID_IDENTIFIER(1104, "Invalid or missing customer identifier"),
    INVALID_STATUS(1106, "Invalid subscription status"),
    CUSTOMER_NOT_FOUND_BY_LOOKUP(8015, "Customer not found for given identifiers"),
    UPDATE_FAILED(91022, "Failed to update subscription");

    private final int code;
    private final String message;

    CapillaryCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    int code() {
        return code;
    }

    String message() {
        return message;
    }

    /** The message with what exactly was wrong. */
    String message(String detail) {
        return message + ": " + detail;
    }
}
