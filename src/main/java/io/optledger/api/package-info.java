/**
 * The native REST API under {@code /v1}: JSON in and out, bearer keys, RFC 9457 problem details. Each controller turns
 * requests into calls on the modules and their results into the records of its concept's payloads class
 * ({@link io.optledger.api.ContactPayloads}, {@link io.optledger.api.SubscriptionPayloads} and the like).
 */
@org.jspecify.annotations.NullMarked
package io.optledger.api;
