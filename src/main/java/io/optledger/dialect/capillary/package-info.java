/**
 * Capillary's customer subscription APIs, v1.1 and v2, under {@code /capillary}, with HTTP Basic whose password is the
 * API key or its MD5. Priorities map to topics per org unit, created on first use; everything else Capillary sends
 * (reason, campaign, communication, source, account) is kept on the ledger.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.dialect.capillary;
