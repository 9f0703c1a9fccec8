/**
 * Messages a consent change sends (double opt-in requests, confirmations, keyword replies): rendered from per-workspace
 * templates, queued in the change's own transaction, sent afterwards by a worker with retries (and checked again against
 * suppressions and pending opt-ins when due), through a pluggable SMS sender. Also the inbound SMS keywords (STOP,
 * START, HELP, Y) that come back, and what each STOP changed so that START restores exactly that.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.messaging;
