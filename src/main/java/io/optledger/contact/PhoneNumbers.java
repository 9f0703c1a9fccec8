package io.optledger.contact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.optledger.platform.InvalidInput;
import java.util.Optional;

/** Phone normalisation to E.164 with libphonenumber; national numbers are read in the workspace's region. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /**
     * Numbers read recently, by region and raw text: a request names its number several times (its identifiers, the
     * change's address, its validation before the group commit) and parsing is tens of microseconds each time. Only
     * numbers that are valid are kept; a few thousand entries of about 150 bytes.
     */
    private static final Cache<String, String> READ =
            Caffeine.newBuilder().maximumSize(4_096).build();

    private PhoneNumbers() {}

    /**
     * The E.164 form of a phone number. A number given in international form (with its {@code +} and country code) is
     * accepted when its length is possible for its country, since numbering plans change faster than any library's
     * metadata; a national number must be valid in {@code defaultRegion}.
     */
    public static String normalise(String raw, String defaultRegion) {
        String key = defaultRegion + ' ' + raw;
        String known = READ.getIfPresent(key);
        if (known != null) {
            return known;
        }
        String normalised = parse(raw, defaultRegion);
        READ.put(key, normalised);
        return normalised;
    }

    private static String parse(String raw, String defaultRegion) {
        try {
            String stripped = raw.strip();
            PhoneNumber number = UTIL.parse(stripped, defaultRegion);
            boolean acceptable = stripped.startsWith("+")
                    ? !UTIL.getRegionCodeForCountryCode(number.getCountryCode()).equals("ZZ")
                            && UTIL.isPossibleNumber(number)
                    : UTIL.isValidNumber(number);
            if (!acceptable) {
                throw invalid(raw);
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw invalid(raw);
        }
    }

    /**
     * The E.164 form of a number written with its country code but no {@code +} (Capillary's {@code 919876543210}),
     * only when that reading is a valid number: a merely possible one is more likely a national number.
     */
    public static Optional<String> validWithCountryCode(String digits) {
        try {
            PhoneNumber number = UTIL.parse("+" + digits.strip(), "ZZ");
            return UTIL.isValidNumber(number)
                    ? Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164))
                    : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    public static boolean isSupportedRegion(String region) {
        return UTIL.getSupportedRegions().contains(region);
    }

    private static InvalidInput invalid(String raw) {
        return new InvalidInput("phone", "'" + raw + "' is not a valid phone number");
    }
}
