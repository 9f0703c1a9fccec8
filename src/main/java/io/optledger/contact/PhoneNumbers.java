package io.optledger.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.optledger.platform.InvalidInput;

/** Phone normalisation to E.164 with libphonenumber; national numbers are read in the workspace's region. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {}

    public static String normalise(String raw, String defaultRegion) {
        try {
            PhoneNumber number = UTIL.parse(raw.strip(), defaultRegion);
            if (!UTIL.isValidNumber(number)) {
                throw invalid(raw);
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw invalid(raw);
        }
    }

    public static boolean isSupportedRegion(String region) {
        return UTIL.getSupportedRegions().contains(region);
    }

    private static InvalidInput invalid(String raw) {
        return new InvalidInput("phone", "'" + raw + "' is not a valid phone number");
    }
}
