/**
 * The change stream: the consent changes the outbox holds, delivered to the systems around OptLedger (signed webhooks,
 * Kafka), at least once and in order per contact. Every delivery keeps its own progress; the outbox rows are written by
 * the consent module in the same transaction as the change.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.delivery;
