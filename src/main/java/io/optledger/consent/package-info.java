/**
 * The one write path. Every entry point turns its input into a {@link io.optledger.consent.ConsentBatch}; {@link
 * io.optledger.consent.ConsentService} applies it in one transaction: contacts resolved and locked, the transition
 * decided by {@link io.optledger.consent.ConsentPolicy}, the state written, a hash-chained ledger event appended for
 * every attempt and an outbox row for every change. What the changes leave is read through {@link
 * io.optledger.consent.ConsentReads}.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.consent;
