/**
 * Idempotency keys as the IETF httpapi draft describes them: the first response to a key is stored in the transaction
 * that made the change and replayed for a retry with the same body; another body is refused, and so is a retry while
 * the first is still in flight.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.idempotency;
