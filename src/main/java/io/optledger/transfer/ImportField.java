package io.optledger.transfer;

import java.util.Arrays;
import java.util.Optional;

/**
 * A field an import row can give, by the column name it has in a file (and in an export) unless a mapping names another
 * column. Custom identifiers are the columns {@code identifier.<name>} (CSV) or the object {@code identifiers} (NDJSON).
 */
public enum ImportField {
    EMAIL("email", false),
    PHONE("phone", false),
    EXTERNAL_ID("externalId", false),
    CHANNEL("channel", true),
    ADDRESS("address", false),
    TOPIC("topic", true),
    /** A state (subscribed, unsubscribed, pending, suspended) or an action (opt_in, opt_out, ...). */
    STATUS("status", true),
    OCCURRED_AT("occurredAt", true),
    SUSPENDED_UNTIL("suspendedUntil", false),
    /** The source the record had where it came from; the ledger's source is always {@code import:<job id>}. */
    SOURCE("source", true),
    REASON("reason", true),
    SIGN_UP_UNIT("signUpUnit", true),
    IP("ip", false),
    USER_AGENT("userAgent", false);

    private final String column;
    private final boolean defaultable;

    ImportField(String column, boolean defaultable) {
        this.column = column;
        this.defaultable = defaultable;
    }

    /** The column (or NDJSON key) that holds it unless mapped to another; also the query parameter's suffix. */
    public String column() {
        return column;
    }

    /** True when a default for rows without it may be given ({@code default.<column>}). */
    public boolean defaultable() {
        return defaultable;
    }

    public static Optional<ImportField> named(String column) {
        return Arrays.stream(values()).filter(f -> f.column.equals(column)).findFirst();
    }
}
