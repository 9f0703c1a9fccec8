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

    private static final Pattern DETAIL_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Provenance {
        if (source.isBlank() || source.length() > 100) {
            throw new InvalidInput("source", "a source is 1 to 100 characters");
        }
        for (String key : details.keySet()) {
            if (!DETAIL_KEY.matcher(key).matches()) {
                throw new InvalidInput("details", "'" + key + "' is not a detail key");
            }
        }
        details = Map.copyOf(new TreeMap<>(details));
    }

    public static Provenance of(String source) {
        return new Provenance(source, null, null, null, null, Map.of());
    }
}
