package io.optledger.dialect.attentive;

import io.optledger.contact.EmailAddresses;
import io.optledger.contact.Identifier;
import io.optledger.contact.PhoneNumbers;
import io.optledger.dialect.attentive.AttentivePayloads.CustomIdentifier;
import io.optledger.dialect.attentive.AttentivePayloads.ExternalIdentifiers;
import io.optledger.dialect.attentive.AttentivePayloads.User;
import io.optledger.platform.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** How Attentive names a person: the user's phone and email, checked as Attentive checks them, and external ids. */
final class AttentiveUsers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private AttentiveUsers() {}

    /** The user with a strict E.164 phone and a normalised email; at least one is needed. */
    static User user(@Nullable User user) {
        if (user == null || (user.phone() == null && user.email() == null)) {
            throw AttentiveFailure.badRequest("give user.phone, user.email or both");
        }
        String phone = null;
        if (user.phone() != null) {
            phone = user.phone().strip();
            if (!E164.matcher(phone).matches() || !isValid(phone)) {
                throw AttentiveFailure.badRequest("user.phone '" + user.phone()
                        + "' is not a phone number in E.164 format, such as +19148440001");
            }
        }
        String email = null;
        if (user.email() != null) {
            try {
                email = EmailAddresses.normalise(user.email());
            } catch (InvalidInput e) {
                throw AttentiveFailure.badRequest("user.email: " + e.getMessage());
            }
        }
        return new User(phone, email);
    }

    private static boolean isValid(String e164) {
        try {
            return PhoneNumbers.normalise(e164, "US").equals(e164);
        } catch (InvalidInput e) {
            return false;
        }
    }

    /** Identifiers a custom one may not pose as: its value would skip their normalisation and checks. */
    private static final Set<String> RESERVED_NAMES =
            Set.of(Identifier.EMAIL, Identifier.PHONE, "clientUserId", "shopifyId", "klaviyoId", "externalId");

    static List<Identifier> identifiers(User user, @Nullable ExternalIdentifiers external) {
        List<Identifier> identifiers = new ArrayList<>();
        if (user.phone() != null) {
            identifiers.add(new Identifier(Identifier.PHONE, user.phone()));
        }
        if (user.email() != null) {
            identifiers.add(new Identifier(Identifier.EMAIL, user.email()));
        }
        if (external != null) {
            addIfGiven(identifiers, "clientUserId", external.clientUserId());
            addIfGiven(identifiers, "shopifyId", external.shopifyId());
            addIfGiven(identifiers, "klaviyoId", external.klaviyoId());
            for (CustomIdentifier custom :
                    external.customIdentifiers() == null ? List.<CustomIdentifier>of() : external.customIdentifiers()) {
                if (custom == null || custom.name() == null || custom.value() == null) {
                    throw AttentiveFailure.badRequest("externalIdentifiers.customIdentifiers: give a name and a value");
                }
                if (RESERVED_NAMES.contains(custom.name().strip())) {
                    throw AttentiveFailure.badRequest("externalIdentifiers.customIdentifiers: '" + custom.name()
                            + "' is a built-in identifier; give it as user." + custom.name()
                            + " or externalIdentifiers." + custom.name());
                }
                addIfGiven(identifiers, custom.name(), custom.value());
            }
        }
        return identifiers;
    }

    private static void addIfGiven(List<Identifier> identifiers, String name, @Nullable String value) {
        if (value != null) {
            try {
                identifiers.add(new Identifier(name, value.strip()));
            } catch (InvalidInput e) {
                throw AttentiveFailure.badRequest("externalIdentifiers." + name + ": " + e.getMessage());
            }
        }
    }
}
