package io.optledger.proof;

/**
 * A contact's ledger is longer than one proof document may hold ({@code optledger.proof.max-events}): the document is
 * built and signed in memory, so an unbounded one could take the heap of a node serving everyone else.
 */
public class ProofTooLarge extends RuntimeException {

    public ProofTooLarge(long contactId, int maxEvents) {
        super("contact " + contactId + " has more than " + maxEvents + " ledger events, more than one proof holds"
                + " (optledger.proof.max-events); GET /v1/exports/events?contact=" + contactId
                + " streams its whole chain, and GET /v1/contacts/" + contactId
                + "/events/verify verifies it");
    }
}
