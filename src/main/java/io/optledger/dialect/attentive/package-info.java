/**
 * Attentive's Subscribers API under {@code /attentive/v1}: opt-ins through sign-up units (double opt-in by text unless
 * the unit allows single opt-in), eligibility, unsubscribes, with Attentive's rate limits and error shape. The texts
 * Attentive would send go out through the messaging queue after the change commits.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.dialect.attentive;
