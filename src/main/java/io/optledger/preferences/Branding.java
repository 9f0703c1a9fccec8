package io.optledger.preferences;

import io.optledger.platform.InvalidInput;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a workspace's public pages look: the name people know it by, its logo, an accent colour, a footer and a link
 * to its privacy policy. Every part is optional; the pages fall back to plain defaults.
 */
public record Branding(
        @Nullable String displayName,
        @Nullable String logoUrl,
        @Nullable String accentColor,
        @Nullable String footerText,
        @Nullable String privacyPolicyUrl) {

    public static final Branding NONE = new Branding(null, null, null, null, null);
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]{1,2040}");

    public Branding {
        text("displayName", displayName, 100);
        text("footerText", footerText, 500);
        url("logoUrl", logoUrl);
        url("privacyPolicyUrl", privacyPolicyUrl);
        if (accentColor != null && !COLOR.matcher(accentColor).matches()) {
            throw new InvalidInput("accentColor", "an accent colour is #rrggbb");
        }
    }

    /** The accent colour, or a default dark blue that keeps white text above a 4.5:1 contrast ratio. */
    public String accent() {
        return accentColor == null ? "#1f4e8c" : accentColor;
    }

    private static void text(String field, @Nullable String value, int max) {
        if (value != null && (value.isBlank() || value.length() > max)) {
            throw new InvalidInput(field, "1 to " + max + " characters, or absent");
        }
    }

    private static void url(String field, @Nullable String value) {
        if (value != null && !URL.matcher(value).matches()) {
            throw new InvalidInput(field, "an http or https URL of at most 2,048 characters");
        }
    }
}
