package io.optledger.api;

import io.optledger.api.ContactPayloads.NamedIdentifier;
import io.optledger.consent.ContactRef;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A request item that names its contact by exactly one of contactId, email, phone, externalId or identifier. */
interface NamesContact {

    @Nullable
    Long contactId();

    @Nullable
    String email();

    @Nullable
    String phone();

    @Nullable
    String externalId();

    @Nullable
    NamedIdentifier identifier();

    /** The contact this item names, its phone read in {@code region} when not in international form. */
    default ContactRef contact(String region) {
        List<ContactRef> named = new ArrayList<>(1);
        if (contactId() != null) {
            named.add(ContactRef.id(contactId()));
        }
        if (email() != null) {
            named.add(ContactRef.identifier(Identifier.normalised(Identifier.EMAIL, email(), region)));
        }
        if (phone() != null) {
            named.add(ContactRef.identifier(Identifier.normalised(Identifier.PHONE, phone(), region)));
        }
        if (externalId() != null) {
            named.add(ContactRef.identifier(Identifier.normalised(Identifier.EXTERNAL_ID, externalId(), region)));
        }
        NamedIdentifier identifier = identifier();
        if (identifier != null) {
            named.add(ContactRef.identifier(Identifier.normalised(identifier.name(), identifier.value(), region)));
        }
        if (named.size() != 1) {
            throw new InvalidInput(
                    "contact", "name the contact by exactly one of contactId, email, phone, externalId or identifier");
        }
        return named.getFirst();
    }
}
