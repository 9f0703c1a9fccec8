package io.optledger.transfer;

import io.optledger.platform.SupervisedLoop;
import io.optledger.transfer.internal.JdbcImportClaims;
import io.optledger.transfer.internal.JdbcImportJobs;
import io.optledger.transfer.internal.JdbcStaging;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies staged imports on every node: claims the oldest job no live node holds (for a lease, fenced by the claim
 * number), and applies its rows a chunk per transaction, {@code optledger.imports.concurrent-chunks} chunks at once,
 * each moving the job's cursor and counts in its own transaction, in cursor order. So a node that dies mid-chunk leaves
 * nothing of it, and whichever node claims the job next resumes after the cursor. A job cancelled meanwhile stops
 * without waiting for the chunks in progress, whose rows are then rolled back. When idle it removes the staged rows of
 * jobs that are over.
 */
@Component
class ImportWorker implements SupervisedLoop {

    private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);
    private static final int DELETE_SLICE = 10_000;

    private final JdbcImportJobs jobs;
    private final JdbcImportClaims claims;
    private final JdbcStaging staging;
    private final ChunkTransaction transactions;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ImportSettings settings;

    ImportWorker(
            JdbcImportJobs jobs,
            JdbcImportClaims claims,
            JdbcStaging staging,
            ChunkTransaction transactions,
            TransactionTemplate tx,
            Clock clock,
            ImportSettings settings) {
        this.jobs = jobs;
        this.claims = claims;
        this.staging = staging;
        this.transactions = transactions;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "imports";
    }

    @Override
    public Duration interval() {
        return settings.pollInterval();
    }

    @Override
    public Duration stallAfter() {
        // a pass spends its budget, then removes staged rows a slice at a time
        return settings.lease().multipliedBy(5).plus(interval());
    }

    @Override
    public boolean runOnce() {
        Instant now = clock.instant();
        Optional<ImportJob> claimed = tx.execute(status -> claims.claim(now, now.plus(settings.lease())));
        if (claimed == null || claimed.isEmpty()) {
            return removeStagedRows();
        }
        work(claimed.get());
        return true;
    }

    private enum Step {
        MORE,
        DONE,
        LOST
    }

    private void work(ImportJob job) {
        long deadline = System.nanoTime() + settings.passBudget().toNanos();
        int chunks = settings.concurrentChunks();
        Pass pass;
        try {
            do {
                // the lease is renewed in a transaction of its own: the chunks lock the job's row only to record their
                // progress, at their end, so a cancel meanwhile is not kept waiting for them
                if (!Boolean.TRUE.equals(
                        tx.execute(status -> claims.renew(job, clock.instant().plus(settings.lease()))))) {
                    pass = new Pass(Step.LOST, false);
                    break;
                }
                pass = pass(job, chunks);
                // chunks undone by a lock between them are applied again one at a time, which always makes progress
                chunks = pass.undone() ? 1 : settings.concurrentChunks();
            } while (pass.step() == Step.MORE && System.nanoTime() < deadline);
        } catch (TransientDataAccessException | CannotGetJdbcConnectionException e) {
            // the database is busy or away: the job is taken up again once the lease lapses
            throw e;
        } catch (RuntimeException e) {
            log.error("Import {} failed", job.id(), e);
            tx.executeWithoutResult(status -> claims.finish(
                    job,
                    ImportJob.State.FAILED,
                    "the import stopped on an unexpected error; it has been logged",
                    clock.instant()));
            return;
        }
        if (pass.step() == Step.MORE) {
            // hand the job back at once, for this node's next pass or another's
            tx.executeWithoutResult(status -> claims.renew(job, clock.instant()));
        } else if (pass.step() == Step.DONE) {
            log.info("Import {} of workspace {} done", job.id(), job.workspaceId());
        }
    }

    /** What a pass came to, and whether chunks of it were undone (rolled back, to be applied again). */
    private record Pass(Step step, boolean undone) {}

    /**
     * Up to {@code count} chunks, the rows after the cursor, each in a transaction of its own and all at once (their
     * contacts are disjoint: a contact's rows fall in one chunk), so the service's work on one overlaps the database's on
     * another. Each records its progress only once the chunk before it has ended, fenced by the cursor that chunk
     * leaves, so chunks record in cursor order and one is rolled back whole if the chunk before it was.
     */
    private Pass pass(ImportJob claimed, int count) {
        // only the claim's holder moves the cursor, so it is the latest without a lock; a cancel or another node's
        // claim
        // meanwhile is found by the fenced writes of the progress
        ImportJob job = jobs.find(claimed.workspaceId(), claimed.id()).orElseThrow();
        if (job.state() != ImportJob.State.RUNNING) {
            return new Pass(Step.LOST, false);
        }
        List<StagedRow> rows = staging.after(
                job.workspaceId(), job.id(), job.cursorKey(), job.cursorRow(), count * settings.chunk() + 1);
        if (rows.isEmpty()) {
            boolean done = Boolean.TRUE.equals(
                    tx.execute(status -> claims.finish(claimed, ImportJob.State.DONE, null, clock.instant())));
            return new Pass(done ? Step.DONE : Step.LOST, false);
        }
        List<Future<ChunkTransaction.Applied>> chunks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            StagedRow after = null;
            while (!rows.isEmpty() && chunks.size() < count) {
                List<StagedRow> chunk = wholeContacts(rows, settings.chunk());
                ChunkTransaction.Ordering order = new ChunkTransaction.Ordering(
                        after == null ? job.cursorKey() : after.contactKey(),
                        after == null ? job.cursorRow() : after.row(),
                        after != null,
                        new CountDownLatch(1));
                chunks.add(threads.submit(() -> transactions.apply(claimed, job, chunk, order)));
                // the next chunk starts once this one holds its lock, so that it waits for this one's end
                awaitUninterruptibly(order.begun());
                after = chunk.getLast();
                rows = rows.subList(chunk.size(), rows.size());
            }
        }
        return outcome(claimed, chunks);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pass's outcome from its chunks', in cursor order; rethrows the first chunk's failure. */
    private Pass outcome(ImportJob claimed, List<Future<ChunkTransaction.Applied>> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            ChunkTransaction.Applied applied;
            try {
                applied = chunks.get(i).get();
            } catch (ExecutionException e) {
                if (i > 0 || chunks.size() > 1 && e.getCause() instanceof TransientDataAccessException) {
                    // a later chunk, or a lock between this pass's chunks: nothing of it stays, and it is applied again
                    log.debug("Import {}: a chunk applied beside another was undone", claimed.id(), e.getCause());
                    return new Pass(Step.MORE, true);
                }
                throw e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while an import's chunks were applied", e);
            }
            if (applied == ChunkTransaction.Applied.NOT_RECORDED) {
                // the first: cancelled or claimed away meanwhile; a later one: the one before it was undone
                return i == 0 ? new Pass(Step.LOST, false) : new Pass(Step.MORE, true);
            }
        }
        return new Pass(Step.MORE, false);
    }

    /**
     * The first {@code chunk} rows, less the trailing rows of a contact whose rows go on past them, so that a contact's
     * rows are applied together (and a dry run, chunk by chunk, decides them as the real run will); a contact with more
     * rows than a chunk holds is split all the same.
     */
    static List<StagedRow> wholeContacts(List<StagedRow> rows, int chunk) {
        if (rows.size() <= chunk) {
            return rows;
        }
        String next = rows.get(chunk).contactKey();
        int end = chunk;
        while (end > 0 && rows.get(end - 1).contactKey().equals(next)) {
            end--;
        }
        return rows.subList(0, end == 0 ? chunk : end);
    }

    /** Removes a slice of staged rows of a job that is over; true when there may be more. */
    private boolean removeStagedRows() {
        Optional<Map.Entry<Long, String>> over = tx.execute(status -> jobs.finishedWithRows());
        if (over == null || over.isEmpty()) {
            return false;
        }
        Integer removed = tx.execute(
                status -> staging.deleteSome(over.get().getKey(), over.get().getValue(), DELETE_SLICE));
        return removed != null && removed > 0;
    }
}
