package io.optledger.transfer.internal;

import io.optledger.transfer.ImportJob;
import io.optledger.transfer.ImportJob.Outcomes;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The import worker's claims on jobs in PostgreSQL: a job claimed for a lease, and the lease renewed, each chunk's
 * progress recorded in cursor order and the job finished. A job is worked on under a lease fenced by its claim number:
 * every write of progress names the claim and a running state, so a node whose lease lapsed, or whose job was
 * cancelled, writes nothing more.
 */
@Repository
public class JdbcImportClaims {

    /** The sample rows a job keeps of each outcome. */
    public static final int SAMPLES_KEPT = 5;

    // the oldest job no live node holds: queued, or running on a node whose lease lapsed (it died or stopped)
    private static final String CLAIM = """
            update import_jobs j set state = 'RUNNING', lease_until = :leaseEnd, claim = j.claim + 1,
                started_at = coalesce(j.started_at, :now)
            from (select workspace_id, id from import_jobs
                   where state in ('QUEUED', 'RUNNING') and (lease_until is null or lease_until <= :now)
                   order by created_at limit 1
                   for update skip locked) due
            where j.workspace_id = due.workspace_id and j.id = due.id
            returning j.*
            """;
    private static final String FENCE =
            " where workspace_id = :workspaceId and id = :id and claim = :claim" + " and state = 'RUNNING'";
    private static final String RENEW = "update import_jobs set lease_until = :leaseEnd" + FENCE;
    // a chunk's counts added to the job's, its samples after the job's (up to 5 of each kind), and the cursor moved on
    // from where the chunk began, so a chunk applied beside the one before it records only after that one committed
    private static final String PROGRESS =
            """
            update import_jobs set rows_done = rows_done + :rows, created = created + :created,
                changed = changed + :changed, unchanged = unchanged + :unchanged, stale = stale + :stale,
                rejected = rejected + :rejected,
                rejected_by = (select coalesce(jsonb_object_agg(reason, total), '{}')
                               from (select reason, sum(n) as total
                                     from (select key, value::bigint from jsonb_each_text(rejected_by)
                                           union all
                                           select key, value::bigint from jsonb_each_text(:rejectedBy::jsonb))
                                         as counts(reason, n)
                                     group by reason) as merged),
                samples = (select coalesce(jsonb_object_agg(kind, jsonb_path_query_array(rows, '$[0 to %d]')), '{}')
                           from (select kind, jsonb_agg(sample order by chunk, n) as rows
                                 from (select key, sample, 0, n from jsonb_each(samples),
                                           jsonb_array_elements(value) with ordinality as a(sample, n)
                                       union all
                                       select key, sample, 1, n from jsonb_each(:samples::jsonb),
                                           jsonb_array_elements(value) with ordinality as a(sample, n))
                                     as all_samples(kind, sample, chunk, n)
                                 group by kind) as merged),
                cursor_key = :cursorKey, cursor_row = :cursorRow""".formatted(SAMPLES_KEPT - 1) + FENCE + " and cursor_key = :afterKey and cursor_row = :afterRow";
    // held by the transaction applying a job's chunk, named by its last row: the chunk after it takes it before
    // recording, so waits for that transaction's end where PostgreSQL sees the wait (and breaks a deadlock of the two)
    private static final String LOCK_CHUNK =
            "select pg_advisory_xact_lock(hashtextextended('optledger-import-chunk:' || :jobId || ':' || :row, 0))";
    private static final String FINISH = "update import_jobs set state = :state, finished_at = :now,"
            + " lease_until = null, error = :error" + FENCE;

    private final JdbcClient jdbc;
    // a claimed job is read with the jobs' own row mapping, which needs their JSON mapper
    private final JdbcImportJobs jobs;
    private final JsonMapper json;

    JdbcImportClaims(JdbcClient jdbc, JdbcImportJobs jobs, JsonMapper json) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.json = json;
    }

    public Optional<ImportJob> claim(Instant now, Instant leaseEnd) {
        return jdbc.sql(CLAIM)
                .param("now", Timestamp.from(now))
                .param("leaseEnd", Timestamp.from(leaseEnd))
                .query(jobs::map)
                .optional();
    }

    /** Extends the claim and locks the job's row till the transaction ends; false when the claim was lost. */
    public boolean renew(ImportJob job, Instant leaseEnd) {
        return fenced(RENEW, job).param("leaseEnd", Timestamp.from(leaseEnd)).update() == 1;
    }

    /**
     * Adds a chunk's outcomes to the job (its samples after the job's, up to {@link #SAMPLES_KEPT} of each kind) and moves
     * the cursor from {@code afterKey}/{@code afterRow}, where the chunk began, to its last row; false (nothing written)
     * when the job is no longer this claim's and running, or its cursor is not where the chunk began.
     */
    public boolean progress(
            ImportJob job,
            String afterKey,
            long afterRow,
            long rows,
            Outcomes added,
            Map<String, List<Map<String, Object>>> samples,
            String cursorKey,
            long cursorRow) {
        return fenced(PROGRESS, job)
                        .param("afterKey", afterKey)
                        .param("afterRow", afterRow)
                        .param("rows", rows)
                        .param("created", added.created())
                        .param("changed", added.changed())
                        .param("unchanged", added.unchanged())
                        .param("stale", added.stale())
                        .param("rejected", added.rejected())
                        .param("rejectedBy", json.writeValueAsString(added.rejectedBy()))
                        .param("samples", json.writeValueAsString(samples))
                        .param("cursorKey", cursorKey)
                        .param("cursorRow", cursorRow)
                        .update()
                == 1;
    }

    /**
     * Takes, for this transaction, the lock of the job's chunk that ends at {@code lastRow}: waits while another
     * transaction holds it.
     */
    public void lockChunk(String jobId, long lastRow) {
        jdbc.sql(LOCK_CHUNK).param("jobId", jobId).param("row", lastRow).query().singleValue();
    }

    public boolean finish(ImportJob job, ImportJob.State state, @Nullable String error, Instant now) {
        return fenced(FINISH, job)
                        .param("state", state.name())
                        .param("error", error)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    private JdbcClient.StatementSpec fenced(String sql, ImportJob job) {
        return jdbc.sql(sql)
                .param("workspaceId", job.workspaceId())
                .param("id", job.id())
                .param("claim", job.claim());
    }
}
