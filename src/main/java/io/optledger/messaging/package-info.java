/**
 * Messages a consent change sends (double opt-in requests, confirmations, keyword replies): rendered from per-workspace
 * templates, queued in the change's own transaction, sent afterwards by a worker with retries, through a pluggable SMS
 * sender. Also the inbound SMS keywords (STOP, START, HELP, Y) that come back.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.messaging;
