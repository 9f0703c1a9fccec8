/**
 * Eligibility: may a message about a topic go to an address on a channel now, and why. Suppressions first, then
 * mandatory topics, then the subscriptions at the address, then the topic's default.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.eligibility;
