package io.optledger.contact;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** A way to reach a contact. The address of each is normalised its own way. */
public enum Channel {
    EMAIL,
    SMS,
    WHATSAPP,
    PUSH,
    TELEGRAM,
    WECHAT,
    LINE;

    /**
     * The identifier whose value is this channel's default address (email for EMAIL, phone for SMS and WHATSAPP), or
     * null where a channel address is never a contact identifier (push tokens, chat ids).
     */
    public @Nullable String defaultIdentifier() {
        return switch (this) {
            case EMAIL -> Identifier.EMAIL;
            case SMS, WHATSAPP -> Identifier.PHONE;
            case PUSH, TELEGRAM, WECHAT, LINE -> null;
        };
    }

    /** Normalises an address for this channel: emails and phones as identifiers are, others trimmed. */
    public String normaliseAddress(String raw, String region) {
        String identifier = defaultIdentifier();
        if (identifier != null) {
            return Identifier.normalised(identifier, raw, region).value();
        }
        String address = raw.strip();
        if (address.isEmpty() || address.length() > 1024) {
            throw new io.optledger.platform.InvalidInput(
                    "address", "a " + name().toLowerCase(Locale.ROOT) + " address is 1 to 1024 characters");
        }
        return address;
    }
}
