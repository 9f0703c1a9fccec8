package io.optledger.contact;

import io.optledger.platform.InvalidInput;
import java.util.Locale;

/** Email normalisation: trimmed, lowercased, and checked for a plausible mailbox at a dotted domain. */
public final class EmailAddresses {

    /**
     * The language accepted, deliberately narrower than RFC 5322 (quoted local parts and IP literals are not addresses
     * people sign up with); {@link #isMailbox} checks it by hand, since this pattern's nested repetitions made the
     * check a fifth of an eligibility lookup's CPU. Kept as the reference the tests compare the check with.
     */
    static final String LANGUAGE = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}";

    private static final String LOCAL_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";
    private static final int MAX_LENGTH = 254;
    private static final int MAX_LABEL = 63;

    private EmailAddresses() {}

    public static String normalise(String raw) {
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.length() > MAX_LENGTH || !isMailbox(email)) {
            throw new InvalidInput("email", "'" + raw + "' is not a valid email address");
        }
        return email;
    }

    /** Whether a lowercased address is in {@link #LANGUAGE}. */
    static boolean isMailbox(String email) {
        int at = email.indexOf('@');
        return at > 0 && isLocalPart(email, at) && isDomain(email, at + 1);
    }

    /** Dot-separated runs of letters, digits and the local symbols, each at least one long. */
    private static boolean isLocalPart(String email, int end) {
        char previous = '.';
        for (int i = 0; i < end; i++) {
            char c = email.charAt(i);
            if (c == '.' ? previous == '.' : !isLetterOrDigit(c) && LOCAL_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
            previous = c;
        }
        return previous != '.';
    }

    /**
     * At least two dot-separated labels: each but the last 1 to 63 letters, digits and hyphens, neither beginning nor
     * ending with a hyphen; the last 2 to 63 letters.
     */
    private static boolean isDomain(String email, int start) {
        int last = email.lastIndexOf('.');
        if (last < start) {
            return false;
        }
        int label = start;
        for (int i = start; i <= last; i++) {
            char c = email.charAt(i);
            if (c == '.') {
                if (i == label || i - label > MAX_LABEL || email.charAt(label) == '-' || email.charAt(i - 1) == '-') {
                    return false;
                }
                label = i + 1;
            } else if (!isLetterOrDigit(c) && c != '-') {
                return false;
            }
        }
        int topLength = email.length() - last - 1;
        if (topLength < 2 || topLength > MAX_LABEL) {
            return false;
        }
        for (int i = last + 1; i < email.length(); i++) {
            char c = email.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
