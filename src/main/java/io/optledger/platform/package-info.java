/**
 * What every module stands on: the embedded PostgreSQL, the clock, request ids, log masking, cache invalidation and
 * the supervisor of background loops. Nothing here knows about consent.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.platform;
