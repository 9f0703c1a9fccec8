/**
 * Suppressions: addresses never to be messaged on a channel whatever their subscriptions (hard bounce, complaint,
 * STOPALL, legal hold). Eligibility checks them first.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.suppression;
