package io.optledger.platform;

/** Input that can never be valid, whatever is stored: a malformed email, an unknown region. Rejected whole. */
public class InvalidInput extends RuntimeException {

    private final String field;

    public InvalidInput(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The input field at fault, as the caller named it (a JSON pointer-ish path such as {@code items[3].email}). */
    public String field() {
        return field;
    }

    public InvalidInput at(String prefix) {
        return new InvalidInput(prefix + "." + field, getMessage());
    }
}
