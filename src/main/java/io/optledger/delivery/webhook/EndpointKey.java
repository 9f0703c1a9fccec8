package io.optledger.delivery.webhook;

/** An endpoint's key. */
record EndpointKey(long workspaceId, String id) {}
