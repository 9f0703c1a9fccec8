/**
 * What every module stands on: the embedded PostgreSQL, the clock, request ids and log masking. Nothing here knows
 * about consent.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.platform;
