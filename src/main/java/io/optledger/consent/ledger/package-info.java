/**
 * The consent ledger: append-only, one SHA-256 hash chain per contact over the canonical form that {@link
 * io.optledger.consent.ledger.LedgerHash} defines, and a verifier that recomputes the chain and the current state.
 */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("ledger")
package io.optledger.consent.ledger;
