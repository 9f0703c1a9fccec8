package io.optledger.transfer.internal;

import io.optledger.consent.Action;
import io.optledger.contact.Channel;
import io.optledger.transfer.StagedRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The staged rows of imports: written by COPY as an upload is read, read back a chunk at a time in the order they are
 * applied (contact key, then row number), and removed once their job is over.
 */
@Repository
public class JdbcStaging {

    private static final String COPY = """
            copy import_rows (workspace_id, job_id, contact_key, row_no, email, phone, external_id, identifiers,
                channel, address, topic, action, occurred_at, suspended_until, source, reason, sign_up_unit, ip,
                user_agent)
            from stdin (format csv)
            """;
    private static final String SELECT_AFTER = """
            select contact_key, row_no, email, phone, external_id, identifiers::text as identifiers, channel, address,
                topic, action, occurred_at, suspended_until, source, reason, sign_up_unit, ip, user_agent
            from import_rows
            where workspace_id = :workspaceId and job_id = :jobId and (contact_key, row_no) > (:key, :row)
            order by contact_key, row_no
            limit :limit
            """;
    // a slice at a time: a million staged rows are not removed in one statement under the pool's statement timeout
    private static final String DELETE_SOME = """
            delete from import_rows where ctid = any(array(
                select ctid from import_rows where workspace_id = :workspaceId and job_id = :jobId limit :limit))
            """;
    private static final TypeReference<Map<String, String>> IDENTIFIERS = new TypeReference<>() {};

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    JdbcStaging(DataSource dataSource, JdbcClient jdbc, JsonMapper json) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Where rows are written while an upload is read. */
    public interface Sink {
        void accept(StagedRow row) throws IOException;
    }

    /** What writes rows: called with a sink, in the caller's transaction; answers the rows COPY took. */
    public interface Writing {
        void run(Sink sink) throws IOException;
    }

    /**
     * Streams rows into the staging table with one COPY, on the connection of the transaction in progress (so the
     * rows commit or roll back with it); answers how many were staged.
     */
    public long copy(long workspaceId, String jobId, Writing writing) throws IOException {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            try (Statement statement = connection.createStatement()) {
                // a large file is one long COPY: the pool's 30 s statement timeout is for requests, not for it
                statement.execute("set local statement_timeout = 0");
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            PGCopyOutputStream copy = new PGCopyOutputStream(pg, COPY, 64 * 1024);
            boolean done = false;
            try {
                Writer out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 64 * 1024);
                String prefix = workspaceId + "," + quote(jobId) + ",";
                writing.run(row -> write(out, prefix, row));
                out.flush();
                long rows = copy.endCopy();
                done = true;
                return rows;
            } finally {
                if (!done && copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new IOException("staging the upload failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private void write(Writer out, String prefix, StagedRow row) throws IOException {
        out.write(prefix);
        field(out, row.contactKey());
        out.write(',');
        out.write(Long.toString(row.row()));
        for (String value : new String[] {
            row.email(),
            row.phone(),
            row.externalId(),
            row.identifiers().isEmpty() ? null : json.writeValueAsString(row.identifiers()),
            row.channel() == null ? null : row.channel().name(),
            row.address(),
            row.topic(),
            row.action() == null ? null : row.action().name(),
            row.occurredAt().toString(),
            row.suspendedUntil() == null ? null : row.suspendedUntil().toString(),
            row.source(),
            row.reason(),
            row.signUpUnit(),
            row.ip(),
            row.userAgent()
        }) {
            out.write(',');
            field(out, value);
        }
        out.write('\n');
    }

    /** A CSV field for COPY: null unquoted and empty, any text quoted (so an empty text stays one). */
    private static void field(Writer out, @Nullable String value) throws IOException {
        if (value != null) {
            out.write(quote(value));
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** Up to {@code limit} staged rows after the cursor, in the order they are applied. */
    public List<StagedRow> after(long workspaceId, String jobId, String key, long row, int limit) {
        return jdbc.sql(SELECT_AFTER)
                .param("workspaceId", workspaceId)
                .param("jobId", jobId)
                .param("key", key)
                .param("row", row)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Removes up to {@code limit} of a job's staged rows; answers how many. */
    public int deleteSome(long workspaceId, String jobId, int limit) {
        return jdbc.sql(DELETE_SOME)
                .param("workspaceId", workspaceId)
                .param("jobId", jobId)
                .param("limit", limit)
                .update();
    }

    private StagedRow map(ResultSet rs, int n) throws SQLException {
        String identifiers = rs.getString("identifiers");
        String channel = rs.getString("channel");
        String action = rs.getString("action");
        return new StagedRow(
                rs.getLong("row_no"),
                rs.getString("contact_key"),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("external_id"),
                identifiers == null ? Map.of() : json.readValue(identifiers, IDENTIFIERS),
                channel == null ? null : Channel.valueOf(channel),
                rs.getString("address"),
                rs.getString("topic"),
                action == null ? null : Action.valueOf(action),
                rs.getTimestamp("occurred_at").toInstant(),
                instant(rs.getTimestamp("suspended_until")),
                rs.getString("source"),
                rs.getString("reason"),
                rs.getString("sign_up_unit"),
                rs.getString("ip"),
                rs.getString("user_agent"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
