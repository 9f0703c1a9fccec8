package io.optledger.transfer;

import io.optledger.platform.SupervisedLoop;
import io.optledger.transfer.ChunkApplier.RowOutcome;
import io.optledger.transfer.ImportJob.Outcomes;
import io.optledger.transfer.internal.JdbcImportJobs;
import io.optledger.transfer.internal.JdbcImportJobs.Reject;
import io.optledger.transfer.internal.JdbcStaging;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies staged imports on every node: claims the oldest job no live node holds (for a lease, fenced by the claim
 * number), and applies its rows a chunk per transaction, moving the job's cursor and counts in the same transaction.
 * So a node that dies mid-chunk leaves nothing of it, and whichever node claims the job next resumes after the cursor.
 * A job cancelled meanwhile stops without waiting for the chunk in progress, whose rows are then rolled back. When
 * idle it removes the staged rows of jobs that are over.
 */
@Component
class ImportWorker implements SupervisedLoop {

    private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);
    private static final int SAMPLES = 5;
    private static final int DELETE_SLICE = 10_000;

    private final JdbcImportJobs jobs;
    private final JdbcStaging staging;
    private final ChunkApplier applier;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ImportSettings settings;

    ImportWorker(
            JdbcImportJobs jobs,
            JdbcStaging staging,
            ChunkApplier applier,
            TransactionTemplate tx,
            Clock clock,
            ImportSettings settings) {
        this.jobs = jobs;
        this.staging = staging;
        this.applier = applier;
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
        Optional<ImportJob> claimed = tx.execute(status -> jobs.claim(now, now.plus(settings.lease())));
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
        Step step;
        try {
            do {
                // the lease is renewed in a transaction of its own: the chunk locks the job's row only to record its
                // progress, at its end, so a cancel meanwhile is not kept waiting for the chunk
                if (!Boolean.TRUE.equals(
                        tx.execute(status -> jobs.renew(job, clock.instant().plus(settings.lease()))))) {
                    step = Step.LOST;
                    break;
                }
                step = Objects.requireNonNull(tx.execute(status -> {
                    Step done = chunk(job);
                    if (done == Step.LOST) {
                        // cancelled or claimed away meanwhile: nothing of the chunk stays
                        status.setRollbackOnly();
                    }
                    return done;
                }));
            } while (step == Step.MORE && System.nanoTime() < deadline);
        } catch (TransientDataAccessException | CannotGetJdbcConnectionException e) {
            // the database is busy or away: the job is taken up again once the lease lapses
            throw e;
        } catch (RuntimeException e) {
            log.error("Import {} failed", job.id(), e);
            tx.executeWithoutResult(status -> jobs.finish(
                    job,
                    ImportJob.State.FAILED,
                    "the import stopped on an unexpected error; it has been logged",
                    clock.instant()));
            return;
        }
        if (step == Step.MORE) {
            // hand the job back at once, for this node's next pass or another's
            tx.executeWithoutResult(status -> jobs.renew(job, clock.instant()));
        } else if (step == Step.DONE) {
            log.info("Import {} of workspace {} done", job.id(), job.workspaceId());
        }
    }

    /**
     * One chunk in the caller's transaction: the rows after the cursor, applied, and the cursor moved past them; {@link
     * Step#LOST} (for the caller to roll back) when the job was cancelled or claimed away meanwhile.
     */
    private Step chunk(ImportJob claimed) {
        // only the claim's holder moves the counts and the cursor, so they are the latest without a lock; a cancel or
        // another node's claim meanwhile is found by the fenced write of the progress at the end
        ImportJob job = jobs.find(claimed.workspaceId(), claimed.id()).orElseThrow();
        if (job.state() != ImportJob.State.RUNNING) {
            return Step.LOST;
        }
        List<StagedRow> rows =
                staging.after(job.workspaceId(), job.id(), job.cursorKey(), job.cursorRow(), settings.chunk() + 1);
        if (rows.isEmpty()) {
            return jobs.finish(claimed, ImportJob.State.DONE, null, clock.instant()) ? Step.DONE : Step.LOST;
        }
        rows = wholeContacts(rows, settings.chunk());
        List<RowOutcome> outcomes = applier.apply(job, rows);

        Map<String, Long> rejectedBy = new HashMap<>(job.outcomes().rejectedBy());
        Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
        job.samples().forEach((key, list) -> samples.put(key, new ArrayList<>(list)));
        long created = 0, changed = 0, unchanged = 0, stale = 0, rejected = 0;
        List<Reject> rejects = new ArrayList<>();
        for (RowOutcome outcome : outcomes) {
            String key = outcome.outcome();
            switch (key) {
                case "created" -> created++;
                case "changed" -> changed++;
                case "unchanged" -> unchanged++;
                case "stale" -> stale++;
                default -> {
                    rejected++;
                    rejectedBy.merge(outcome.reason(), 1L, Long::sum);
                    rejects.add(new Reject(
                            outcome.row(),
                            outcome.reason(),
                            String.valueOf(outcome.sample().get("message"))));
                    key = "rejected." + outcome.reason();
                }
            }
            List<Map<String, Object>> some = samples.computeIfAbsent(key, k -> new ArrayList<>());
            if (some.size() < SAMPLES) {
                some.add(outcome.sample());
            }
        }
        jobs.reject(job.workspaceId(), job.id(), rejects);
        StagedRow last = rows.getLast();
        boolean held = jobs.progress(
                claimed,
                rows.size(),
                new Outcomes(created, changed, unchanged, stale, rejected, Map.of()),
                rejectedBy,
                samples,
                last.contactKey(),
                last.row());
        return held ? Step.MORE : Step.LOST;
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
