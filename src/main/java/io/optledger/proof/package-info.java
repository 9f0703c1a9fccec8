/**
 * What the ledger is for beyond the API: a contact's consent proof, signed and verifiable offline (the verifier in
 * {@code proof.verifier} needs nothing but the JDK), and erasure that removes a person's data everywhere while the
 * ledger keeps verifying. Erasure touches the tables of many modules in one transaction, by design: it is the one
 * place that must know every table holding personal data (docs/erasure.md lists them).
 */
@org.jspecify.annotations.NullMarked
package io.optledger.proof;
