package io.optledger.transfer;

import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ContactRef;
import io.optledger.contact.Identifier;
import java.util.List;

/** A staged row ready to apply: its identifiers normalised and the consent command it makes. */
record PreparedRow(StagedRow row, List<Identifier> identifiers, ConsentCommand command) {

    /** The same row with its command naming the contact its identifiers were resolved to. */
    PreparedRow withContact(long contactId) {
        ConsentCommand c = command;
        return new PreparedRow(
                row,
                identifiers,
                new ConsentCommand(
                        ContactRef.id(contactId),
                        c.channel(),
                        c.address(),
                        c.topic(),
                        c.action(),
                        c.occurredAt(),
                        c.suspendedUntil(),
                        c.provenance(),
                        c.properties(),
                        c.quiet()));
    }
}
