/**
 * Bulk import and export. An import is a file staged by COPY and then applied in chunks by a supervised worker through
 * the one write path ({@link io.optledger.consent.ConsentService}), so every row meets the same consent rules as an API
 * call; exports stream the state and the ledger out in the columns an import reads back.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.transfer;
