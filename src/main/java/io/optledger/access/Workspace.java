package io.optledger.access;

import java.time.Instant;

/** A tenant: owns keys, contacts, topics and settings. {@code defaultRegion} parses national phone numbers. */
public record Workspace(long id, String name, String defaultRegion, Instant createdAt) {}
