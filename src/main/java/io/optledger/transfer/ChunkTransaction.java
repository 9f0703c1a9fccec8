package io.optledger.transfer;

import io.optledger.transfer.ImportJob.Outcomes;
import io.optledger.transfer.internal.JdbcImportClaims;
import io.optledger.transfer.internal.JdbcImportJobs;
import io.optledger.transfer.internal.JdbcImportJobs.Reject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transaction of one chunk of an import: its rows applied ({@link ChunkApplier}), its rejects kept, and the job's
 * counts and cursor moved on, fenced by the claim and by where the chunk began, so that chunks applied at once record
 * in cursor order and one whose predecessor was rolled back is rolled back too.
 */
@Component
class ChunkTransaction {

    private final ChunkApplier applier;
    private final JdbcImportJobs jobs;
    private final JdbcImportClaims claims;
    private final TransactionTemplate tx;

    ChunkTransaction(ChunkApplier applier, JdbcImportJobs jobs, JdbcImportClaims claims, TransactionTemplate tx) {
        this.applier = applier;
        this.jobs = jobs;
        this.claims = claims;
        this.tx = tx;
    }

    /** How a chunk ended: applied and recorded, or rolled back with nothing of it left. */
    enum Applied {
        RECORDED,
        NOT_RECORDED
    }

    /**
     * Where a chunk stands among its pass's: it begins after {@code afterKey}/{@code afterRow}, waits before recording
     * for the chunk that ends there when {@code waits} (not for the first, whose predecessor committed), and counts
     * down {@code begun} once it holds its own lock.
     */
    record Ordering(String afterKey, long afterRow, boolean waits, CountDownLatch begun) {}

    /**
     * One chunk in a transaction of its own: its rows applied, its rejects kept, and the job's counts and cursor moved
     * from where the chunk began to its last row; rolled back whole when the job was cancelled or claimed away, or its
     * cursor is not where the chunk began (the chunk before it was undone).
     */
    Applied apply(ImportJob claimed, ImportJob job, List<StagedRow> rows, Ordering order) {
        try {
            return Objects.requireNonNull(tx.execute(status -> {
                claims.lockChunk(job.id(), rows.getLast().row());
                order.begun().countDown();
                return applyAndRecord(claimed, job, rows, order, status);
            }));
        } finally {
            order.begun().countDown();
        }
    }

    private Applied applyAndRecord(
            ImportJob claimed, ImportJob job, List<StagedRow> rows, Ordering order, TransactionStatus status) {
        List<RowOutcome> outcomes = applier.apply(job, rows);
        Map<String, Long> rejectedBy = new HashMap<>();
        Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
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
            if (some.size() < JdbcImportClaims.SAMPLES_KEPT) {
                some.add(outcome.sample());
            }
        }
        jobs.reject(job.workspaceId(), job.id(), rejects);
        if (order.waits()) {
            // until the chunk before this one has committed or rolled back: the fence below tells which
            claims.lockChunk(job.id(), order.afterRow());
        }
        StagedRow last = rows.getLast();
        boolean held = claims.progress(
                claimed,
                order.afterKey(),
                order.afterRow(),
                rows.size(),
                new Outcomes(created, changed, unchanged, stale, rejected, rejectedBy),
                samples,
                last.contactKey(),
                last.row());
        if (!held) {
            status.setRollbackOnly();
            return Applied.NOT_RECORDED;
        }
        return Applied.RECORDED;
    }
}
