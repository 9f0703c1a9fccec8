package io.optledger.dialect.capillary;

import io.optledger.access.Workspaces;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.contact.PhoneNumbers;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Capillary customers as contacts: identifiers named as Capillary names them ({@code mobile}, {@code email}, {@code
 * externalId} or {@code external_id}, {@code id}, or any other type as a custom identifier), and mobiles in Capillary's
 * country-code form.
 */
@Component
class CapillaryCustomers {

    static final String ID = "id";
    private static final Pattern COUNTRY_CODE_DIGITS = Pattern.compile("\\d{8,15}");

    private final Contacts contacts;
    private final Workspaces workspaces;

    CapillaryCustomers(Contacts contacts, Workspaces workspaces) {
        this.contacts = contacts;
        this.workspaces = workspaces;
    }

    /**
     * The identifier a Capillary type and value name. Mobiles are taken in Capillary's form, the country code without
     * a '+' ({@code 919876543210}) when that is a valid number, or in E.164; any other is read as national to the workspace's
     * region. Throws {@link InvalidInput} for a value that is not valid for its type; never for {@code id}.
     */
    Identifier identifier(long workspaceId, String type, String value) {
        String region = workspaces.defaultRegion(workspaceId);
        return switch (type.strip().toLowerCase(Locale.ROOT)) {
            case "mobile", "phone" -> new Identifier(Identifier.PHONE, mobile(value, region));
            case "email" -> Identifier.normalised(Identifier.EMAIL, value, region);
            case "externalid", "external_id" -> Identifier.normalised(Identifier.EXTERNAL_ID, value, region);
            default -> Identifier.normalised(type.strip(), value, region);
        };
    }

    /** The contact id a Capillary {@code id} names, if it is one; existence is checked where it is used. */
    static long parseId(String value) {
        try {
            long id = Long.parseLong(value.strip());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through: not a customer id
        }
        throw new InvalidInput(ID, "'" + value + "' is not a customer id");
    }

    /** The customer an identifier names, or the failure Capillary answers for an unknown one. */
    Contact find(long workspaceId, String type, String value, CapillaryCode notFound) {
        if (type.strip().equalsIgnoreCase(ID)) {
            return get(workspaceId, parseId(value), notFound);
        }
        Identifier identifier;
        try {
            identifier = identifier(workspaceId, type, value);
        } catch (InvalidInput e) {
            throw CapillaryFailure.of(CapillaryCode.INVALID_IDENTIFIER, e.getMessage());
        }
        return contacts.find(workspaceId, identifier)
                .orElseThrow(() -> CapillaryFailure.of(notFound, type + " '" + value + "'"));
    }

    Contact get(long workspaceId, long id, CapillaryCode notFound) {
        try {
            return contacts.get(workspaceId, id);
        } catch (NotFound e) {
            throw CapillaryFailure.of(notFound, "id '" + id + "'");
        }
    }

    /** Every customer the identifiers name or the ids are, with its identifiers by name, in one query. */
    Map<Long, Map<String, String>> identifiersOf(
            long workspaceId, Collection<Identifier> identifiers, Collection<Long> ids) {
        return contacts.identifiersOf(workspaceId, identifiers, ids);
    }

    Contacts.Registration register(long workspaceId, List<Identifier> identifiers, Map<String, Object> attributes) {
        return contacts.register(workspaceId, identifiers, attributes);
    }

    /** A phone in Capillary's form: E.164 without the '+'. */
    static @Nullable String mobile(@Nullable String e164) {
        return e164 == null ? null : e164.substring(1);
    }

    private static String mobile(String raw, String region) {
        String value = raw.strip();
        if (COUNTRY_CODE_DIGITS.matcher(value).matches()) {
            // with its country code only if that is a valid number (6175550123 is Boston, not a possible +61 number)
            Optional<String> international = PhoneNumbers.validWithCountryCode(value);
            if (international.isPresent()) {
                return international.get();
            }
        }
        return PhoneNumbers.normalise(value, region);
    }
}
