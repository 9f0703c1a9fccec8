/**
 * The workspace ledger: what changes eligibility without being a person's consent (suppressions added, changed and
 * lifted; topics created and their policy changed) appended to one SHA-256 hash chain per workspace, in the same
 * transaction as the change, append-only and verifiable like the consent ledger.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.audit;
