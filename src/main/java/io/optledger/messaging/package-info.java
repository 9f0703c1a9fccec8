/**
 * Messages a consent change sends (double opt-in requests by text and by email, confirmations, keyword replies):
 * rendered from per-workspace templates, queued in the change's own transaction, sent afterwards by a worker with
 * retries (and checked again against suppressions and pending opt-ins when due), through a pluggable SMS sender or
 * SMTP ({@code email/}, which also expires email opt-ins left unconfirmed). Also the inbound SMS keywords (STOP,
 * START, HELP, Y) that come back, and what each STOP changed so that START restores exactly that.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.messaging;
