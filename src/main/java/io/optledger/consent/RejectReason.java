package io.optledger.consent;

import java.util.Locale;

/** Why a command was not applied; machine-readable in every API as the lowercase name. */
public enum RejectReason {
    CONTACT_NOT_FOUND,
    UNKNOWN_TOPIC,
    /** The channel has no address given and the contact has none of its own for it. */
    NO_ADDRESS,
    /** Mandatory topics (password resets) cannot be left or paused. */
    MANDATORY_TOPIC,
    NOT_PENDING,
    NOT_SUBSCRIBED,
    NOT_SUSPENDED,
    /** Deleting or keeping needs a subscription that exists. */
    NO_SUBSCRIPTION;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the rejections that are consent decisions about a known subscription, and so go on the ledger. */
    public boolean isRecorded() {
        return switch (this) {
            case MANDATORY_TOPIC, NOT_PENDING, NOT_SUBSCRIBED, NOT_SUSPENDED -> true;
            case NO_SUBSCRIPTION -> false;
            case CONTACT_NOT_FOUND, UNKNOWN_TOPIC, NO_ADDRESS -> false;
        };
    }
}
