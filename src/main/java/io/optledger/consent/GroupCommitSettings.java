package io.optledger.consent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How concurrent consent writes are committed together (docs/write-path.md).
 *
 * @param enabled false to commit every request in a transaction of its own
 * @param maxRequests the most requests one group commit holds
 * @param maxChanges the most changes one group commit holds; a request with more commits alone, as it is
 * @param maxWait how long a request may wait in the queue for a commit to take it; then it fails (503), unwritten
 * @param lanes how many groups may be written at once, each in its own transaction and connection (1 to 16)
 */
@ConfigurationProperties("optledger.consent.group-commit")
public record GroupCommitSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("128") int maxRequests,
        @DefaultValue("1000") int maxChanges,
        @DefaultValue("10s") Duration maxWait,
        @DefaultValue("1") int lanes) {

    public GroupCommitSettings {
        if (maxRequests < 1 || maxRequests > 1024) {
            throw new IllegalArgumentException(
                    "optledger.consent.group-commit.max-requests is 1 to 1024, not " + maxRequests);
        }
        if (maxChanges < 1 || maxChanges > 100_000) {
            throw new IllegalArgumentException(
                    "optledger.consent.group-commit.max-changes is 1 to 100000, not " + maxChanges);
        }
        if (lanes < 1 || lanes > 16) {
            throw new IllegalArgumentException("optledger.consent.group-commit.lanes is 1 to 16, not " + lanes);
        }
        if (!maxWait.isPositive()) {
            throw new IllegalArgumentException(
                    "optledger.consent.group-commit.max-wait must be positive, not " + maxWait);
        }
    }
}
