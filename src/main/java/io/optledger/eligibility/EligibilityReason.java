package io.optledger.eligibility;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** One fact behind an eligibility decision; machine-readable as the lowercase name. */
public enum EligibilityReason {
    SUPPRESSED,
    MANDATORY,
    SUBSCRIBED,
    OPTED_OUT,
    PENDING,
    SUSPENDED_UNTIL,
    SUSPENDED,
    SUSPENSION_ENDED,
    /** The subscription was soft-deleted: its status stands, but it is not used. */
    DELETED,
    TOPIC_DEFAULT,
    NO_ADDRESS;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
