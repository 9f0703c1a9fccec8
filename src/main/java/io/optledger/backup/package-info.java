/**
 * Online backup and restore of the embedded PostgreSQL, as commands of the service's own jar: PostgreSQL's low-level
 * backup API (the bundled server has no pg_dump or pg_basebackup), the data folder's other state, and a manifest of
 * sizes and SHA-256 that a restore checks before it writes anything.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.backup;
