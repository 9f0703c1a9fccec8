package io.optledger.transfer.internal;

import io.optledger.transfer.ImportFormat;
import io.optledger.transfer.ImportJob;
import io.optledger.transfer.ImportJob.Outcomes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Import jobs and their rejected rows in PostgreSQL: a job queued, read, cancelled and found over with staged rows left,
 * and its rejects kept and read back. The worker's claims on a job are {@link JdbcImportClaims}, which reads the job it
 * claims with this class's row mapping.
 */
@Repository
public class JdbcImportJobs {

    private static final String COLUMNS = """
            workspace_id, id, state, dry_run, format, options::text as options, rows_total, rows_done, created,
            changed, unchanged, stale, rejected, rejected_by::text as rejected_by, samples::text as samples,
            created_at, started_at, finished_at, error, cursor_key, cursor_row, claim, api_key_id, request_id
            """;
    private static final String INSERT = """
            insert into import_jobs (workspace_id, id, state, dry_run, format, options, rows_total, api_key_id,
                request_id, created_at)
            values (:workspaceId, :id, 'QUEUED', :dryRun, :format, :options::jsonb, :rowsTotal, :apiKeyId,
                :requestId, :createdAt)
            """;
    private static final String SELECT =
            "select " + COLUMNS + " from import_jobs where workspace_id = :workspaceId" + " and id = :id";
    private static final String LIST = "select " + COLUMNS + " from import_jobs where workspace_id = :workspaceId"
            + " order by created_at desc limit :limit";
    private static final String CANCEL = """
            update import_jobs set state = 'CANCELLED', finished_at = :now, lease_until = null
            where workspace_id = :workspaceId and id = :id and state in ('QUEUED', 'RUNNING')
            """;
    private static final String FINISHED_WITH_ROWS = """
            select j.workspace_id, j.id from import_jobs j
            where j.state in ('DONE', 'CANCELLED', 'FAILED')
              and exists (select 1 from import_rows r where r.workspace_id = j.workspace_id and r.job_id = j.id)
            limit 1
            """;
    private static final String INSERT_REJECTS = """
            insert into import_rejects (workspace_id, job_id, row_no, reason, message)
            select :workspaceId, :jobId, r.row_no, r.reason, r.message
            from unnest(:rows::bigint[], :reasons::text[], :messages::text[]) as r(row_no, reason, message)
            """;
    private static final String SELECT_REJECTS = """
            select row_no, reason, message from import_rejects
            where workspace_id = :workspaceId and job_id = :jobId order by row_no
            """;
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};
    private static final TypeReference<Map<String, List<Map<String, Object>>>> SAMPLES = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OPTIONS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate streaming;
    private final JsonMapper json;

    JdbcImportJobs(JdbcClient jdbc, DataSource dataSource, JsonMapper json) {
        this.jdbc = jdbc;
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(1_000);
        this.streaming = new NamedParameterJdbcTemplate(template);
        this.json = json;
    }

    /** A rejected row: its number in the file, the reason code and what was wrong. */
    public record Reject(long row, String reason, String message) {}

    public void insert(
            long workspaceId,
            String id,
            boolean dryRun,
            ImportFormat format,
            Map<String, Object> options,
            long rowsTotal,
            @Nullable String apiKeyId,
            @Nullable String requestId,
            Instant createdAt) {
        jdbc.sql(INSERT)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .param("dryRun", dryRun)
                .param("format", format.name())
                .param("options", json.writeValueAsString(options))
                .param("rowsTotal", rowsTotal)
                .param("apiKeyId", apiKeyId)
                .param("requestId", requestId)
                .param("createdAt", Timestamp.from(createdAt))
                .update();
    }

    public Optional<ImportJob> find(long workspaceId, String id) {
        return jdbc.sql(SELECT)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .query(this::map)
                .optional();
    }

    public List<ImportJob> list(long workspaceId, int limit) {
        return jdbc.sql(LIST)
                .param("workspaceId", workspaceId)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Cancels a job not yet over; false when it was over already (or is not this workspace's). */
    public boolean cancel(long workspaceId, String id, Instant now) {
        return jdbc.sql(CANCEL)
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** A job that is over but still has staged rows to remove. */
    public Optional<Map.Entry<Long, String>> finishedWithRows() {
        return jdbc.sql(FINISHED_WITH_ROWS)
                .query((rs, n) -> Map.entry(rs.getLong("workspace_id"), rs.getString("id")))
                .optional();
    }

    public void reject(long workspaceId, String jobId, List<Reject> rejects) {
        if (rejects.isEmpty()) {
            return;
        }
        jdbc.sql(INSERT_REJECTS)
                .param("workspaceId", workspaceId)
                .param("jobId", jobId)
                .param("rows", rejects.stream().map(Reject::row).toArray(Long[]::new))
                .param("reasons", rejects.stream().map(Reject::reason).toArray(String[]::new))
                .param("messages", rejects.stream().map(Reject::message).toArray(String[]::new))
                .update();
    }

    /** Every rejected row of a job in row order, through a cursor: call inside a (read-only) transaction. */
    public void rejects(long workspaceId, String jobId, Consumer<Reject> sink) {
        streaming.getJdbcTemplate().execute("set local statement_timeout = 0");
        streaming.query(
                SELECT_REJECTS,
                new MapSqlParameterSource().addValue("workspaceId", workspaceId).addValue("jobId", jobId),
                rs -> {
                    sink.accept(new Reject(rs.getLong("row_no"), rs.getString("reason"), rs.getString("message")));
                });
    }

    ImportJob map(ResultSet rs, int n) throws SQLException {
        Map<String, Object> options = json.readValue(rs.getString("options"), OPTIONS);
        return new ImportJob(
                rs.getLong("workspace_id"),
                rs.getString("id"),
                ImportJob.State.valueOf(rs.getString("state")),
                rs.getBoolean("dry_run"),
                ImportFormat.valueOf(rs.getString("format")),
                !Boolean.FALSE.equals(options.get("notify")),
                rs.getLong("rows_total"),
                rs.getLong("rows_done"),
                new Outcomes(
                        rs.getLong("created"),
                        rs.getLong("changed"),
                        rs.getLong("unchanged"),
                        rs.getLong("stale"),
                        rs.getLong("rejected"),
                        json.readValue(rs.getString("rejected_by"), COUNTS)),
                json.readValue(rs.getString("samples"), SAMPLES),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("error"),
                rs.getString("cursor_key"),
                rs.getLong("cursor_row"),
                rs.getLong("claim"),
                rs.getString("api_key_id"),
                rs.getString("request_id"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
