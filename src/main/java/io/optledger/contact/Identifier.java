package io.optledger.contact;

import io.optledger.platform.InvalidInput;
import java.util.regex.Pattern;

/**
 * A (name, value) that finds one contact in a workspace. Built-in names are {@code email}, {@code phone} and {@code
 * externalId}; any other name is a custom identifier ({@code clientUserId}, {@code shopifyId}). Values are already
 * normalised: use {@link #normalised} to build one from input.
 */
public record Identifier(String name, String value) {

    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String EXTERNAL_ID = "externalId";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public Identifier {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInput("identifiers", "'" + name + "' is not an identifier name (letters, digits, _)");
        }
        if (value.isBlank() || value.length() > 512) {
            throw new InvalidInput(name, "an identifier value is 1 to 512 characters");
        }
    }

    /** Normalises the value for its name: emails lowercased, phones to E.164 in {@code region}, others trimmed. */
    public static Identifier normalised(String name, String raw, String region) {
        return switch (name) {
            case EMAIL -> new Identifier(name, EmailAddresses.normalise(raw));
            case PHONE -> new Identifier(name, PhoneNumbers.normalise(raw, region));
            default -> new Identifier(name, raw.strip());
        };
    }
}
