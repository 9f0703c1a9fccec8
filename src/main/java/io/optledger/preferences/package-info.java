/**
 * The public side: signed links (capabilities minted for a contact, verified without a database row), the hosted
 * preference page, one-click unsubscribe (RFC 8058) and the confirmation page of email double opt-in. Every change
 * made here goes through the consent service and lands on the ledger with the page's source, IP, user agent and
 * locale.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.preferences;
