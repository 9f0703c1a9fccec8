package io.optledger.consent;

import io.optledger.platform.InvalidInput;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a change came from, kept on its ledger event: the source (which API or page), the reason given, campaign and
 * communication ids, the sign-up unit, and dialect-specific details (Capillary's orgUnitId, say).
 */
public record Provenance(
        String source,
        @Nullable String reason,
        @Nullable String campaignId,
        @Nullable String communicationId,
        @Nullable String signUpUnit,
        Map<String, String> details) {

    public static final int MAX_SOURCE = 256;
    public static final int MAX_REASON = 256;
    public static final int MAX_ID = 200;
    public static final int MAX_DETAILS = 32;
    public static final int MAX_DETAIL = 1_024;
    private static final Pattern DETAIL_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Provenance {
        if (source.isBlank() || source.length() > MAX_SOURCE) {
            throw new InvalidInput("source", "a source is 1 to " + MAX_SOURCE + " characters");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw new InvalidInput("reason", "a reason is at most " + MAX_REASON + " characters");
        }
        if ((campaignId != null && campaignId.length() > MAX_ID)
                || (communicationId != null && communicationId.length() > MAX_ID)) {
            throw new InvalidInput(
                    "campaignId", "campaign and communication ids are at most " + MAX_ID + " characters");
        }
        if (details.size() > MAX_DETAILS) {
            throw new InvalidInput("details", "at most " + MAX_DETAILS + " details, not " + details.size());
        }
        for (var detail : details.entrySet()) {
            if (!DETAIL_KEY.matcher(detail.getKey()).matches()) {
                throw new InvalidInput("details", "'" + detail.getKey() + "' is not a detail key");
            }
            if (detail.getValue().length() > MAX_DETAIL) {
                throw new InvalidInput(detail.getKey(), "at most " + MAX_DETAIL + " characters");
            }
        }
        details = Map.copyOf(new TreeMap<>(details));
    }

    public static Provenance of(String source) {
        return new Provenance(source, null, null, null, null, Map.of());
    }
}
