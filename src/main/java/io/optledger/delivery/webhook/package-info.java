/**
 * Webhooks by the Standard Webhooks specification: endpoints with filters and rotatable secrets, a fan-out that turns
 * outbox rows into one delivery per matching endpoint, and workers on every node that deliver them at least once, in
 * order per contact and endpoint, through a guard against requests into private networks. See docs/webhooks.md.
 */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("webhook")
package io.optledger.delivery.webhook;
