/**
 * The operator console at {@code /console}: server-rendered pages for support and compliance staff, signed in with an
 * API key that becomes a server-side session. It reads through the same services as the native API and writes only
 * through them (consent changes through the consent service), with the key's scopes checked on every request, so it
 * can never do more than the key could through the API. See docs/console.md.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.console;
