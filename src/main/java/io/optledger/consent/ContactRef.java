package io.optledger.consent;

import io.optledger.contact.Identifier;

/** How a command names its contact. */
public sealed interface ContactRef {

    record ById(long id) implements ContactRef {}

    record ByIdentifier(Identifier identifier) implements ContactRef {}

    static ContactRef id(long id) {
        return new ById(id);
    }

    static ContactRef identifier(Identifier identifier) {
        return new ByIdentifier(identifier);
    }
}
