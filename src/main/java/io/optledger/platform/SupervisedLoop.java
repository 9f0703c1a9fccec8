package io.optledger.platform;

import java.time.Duration;

/**
 * A background loop: declare one as a bean and the {@link Supervisor} runs it on every node, on a thread of its own,
 * through any exception or error, and says in metrics and readiness when it last succeeded.
 */
public interface SupervisedLoop {

    /** Names the loop in thread names, logs, metrics and health: lowercase words joined by '-'. */
    String name();

    /** The pause after a pass that answered {@code false}. */
    Duration interval();

    /**
     * No successful pass for this long and the loop has stalled: readiness is DOWN until one succeeds. Longer than
     * {@link #interval()} and than the slowest pass; {@code optledger.workers.<name>.stall-after} overrides it.
     */
    Duration stallAfter();

    /**
     * One pass. Answers true when more work is waiting, so the next pass starts without the pause. Any exception or
     * error thrown is a failed pass: counted, logged, and followed by a pass after a growing backoff.
     */
    boolean runOnce() throws Exception;
}
