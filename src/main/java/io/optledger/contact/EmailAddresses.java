package io.optledger.contact;

import io.optledger.platform.InvalidInput;
import java.util.Locale;
import java.util.regex.Pattern;

/** Email normalisation: trimmed, lowercased, and checked for a plausible mailbox at a dotted domain. */
public final class EmailAddresses {

    // deliberately narrower than RFC 5322: quoted local parts and IP literals are not addresses people sign up with
    private static final Pattern ADDRESS = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private EmailAddresses() {}

    public static String normalise(String raw) {
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.length() > 254 || !ADDRESS.matcher(email).matches()) {
            throw new InvalidInput("email", "'" + raw + "' is not a valid email address");
        }
        return email;
    }
}
