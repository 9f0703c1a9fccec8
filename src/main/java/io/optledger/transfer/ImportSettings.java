package io.optledger.transfer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How imports are worked on.
 *
 * @param chunk rows applied in one transaction, as consent batches of up to {@link
 *     io.optledger.consent.ConsentBatch#MAX_COMMANDS} (fewer where rows carry their own IP or user agent): at most
 *     {@link #MAX_CHUNK}
 * @param lease how long a node holds a job it works on without renewing it; a node that dies is taken over after it
 * @param pollInterval how often an idle node looks for a job
 * @param passBudget how long one pass works on a job before handing it back for the next pass (of any node)
 * @param concurrentChunks chunks of a job applied at once, each in a transaction of its own (1 to {@link
 *     #MAX_CONCURRENT_CHUNKS}): the service prepares one while the database writes another
 */
@ConfigurationProperties("optledger.imports")
public record ImportSettings(
        @DefaultValue("1000") int chunk,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("20s") Duration passBudget,
        @DefaultValue("2") int concurrentChunks) {

    /**
     * The most rows of one chunk: its transaction locks their contacts until it commits, and other writes to them
     * wait for it (at most the pool's lock timeout, 10 s): larger chunks commit less often, but only where a chunk
     * reliably takes less than that.
     */
    public static final int MAX_CHUNK = 20_000;

    /** The most chunks of a job applied at once: each holds a connection and its contacts' locks until it commits. */
    public static final int MAX_CONCURRENT_CHUNKS = 8;

    public ImportSettings {
        if (chunk < 1 || chunk > MAX_CHUNK) {
            throw new IllegalArgumentException("optledger.imports.chunk is 1 to " + MAX_CHUNK + ", not " + chunk);
        }
        if (concurrentChunks < 1 || concurrentChunks > MAX_CONCURRENT_CHUNKS) {
            throw new IllegalArgumentException("optledger.imports.concurrent-chunks is 1 to " + MAX_CONCURRENT_CHUNKS
                    + ", not " + concurrentChunks);
        }
        if (passBudget.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("optledger.imports.pass-budget must be shorter than the lease");
        }
    }
}
