package io.optledger.eligibility;

import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer to "may this address be messaged about this topic on this channel now", with the reasons. */
public record Eligibility(
        boolean eligible,
        Channel channel,
        String topic,
        @Nullable String address,
        List<Reason> reasons) {

    public Eligibility {
        reasons = List.copyOf(reasons);
    }

    /** One reason: its code, a sentence for people, and for subscriptions whose contact and time. */
    public record Reason(
            EligibilityReason code,
            String detail,
            @Nullable Long contactId,
            @Nullable Instant since,
            @Nullable Instant until) {}
}
