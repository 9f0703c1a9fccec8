package io.optledger.audit.internal;

import io.optledger.audit.WorkspaceEvent;
import io.optledger.audit.WorkspaceEventKind;
import io.optledger.audit.WorkspaceLedgerHash;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The workspace ledger's rows and its chain heads. */
@Repository
public class JdbcWorkspaceEvents {

    /** The chain head as it stands: the last seq and its hash. */
    public record Head(long seq, String hash) {}

    private static final String ENSURE_HEAD = """
            insert into workspace_ledger_heads (workspace_id, seq, hash) values (:workspaceId, 0, :genesis)
            on conflict do nothing
            """;
    private static final String LOCK_HEAD =
            "select seq, hash from workspace_ledger_heads where workspace_id = :workspaceId for update";
    private static final String HEAD = "select seq, hash from workspace_ledger_heads where workspace_id = :workspaceId";
    private static final String MOVE_HEAD =
            "update workspace_ledger_heads set seq = :seq, hash = :hash where workspace_id = :workspaceId";
    private static final String INSERT = """
            insert into workspace_events (workspace_id, seq, kind, subject, before, after, recorded_at, source, reason,
                api_key_id, request_id, ip, user_agent, prev_hash, hash)
            values (:workspaceId, :seq, :kind, :subject, :before, :after, :recordedAt, :source, :reason, :apiKeyId,
                :requestId, :ip, :userAgent, :prevHash, :hash)
            """;
    // a workspace event has no contact: the change stream orders these by the workspace ledger's seq
    private static final String ENQUEUE = """
            insert into outbox (workspace_id, contact_id, event_type, payload, created_at)
            values (:workspaceId, null, :eventType, :payload::jsonb, :createdAt)
            """;
    private static final String PAGE = """
            select workspace_id, seq, kind, subject, before, after, recorded_at, source, reason, api_key_id,
                request_id, ip, user_agent, prev_hash, hash, erased_at
            from workspace_events where workspace_id = :workspaceId and seq > :afterSeq order by seq limit :limit
            """;

    private final JdbcClient jdbc;

    JdbcWorkspaceEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the workspace's chain head (creating it at the genesis) until the transaction ends. */
    public Head lockHead(long workspaceId) {
        jdbc.sql(ENSURE_HEAD)
                .param("workspaceId", workspaceId)
                .param("genesis", WorkspaceLedgerHash.GENESIS)
                .update();
        return jdbc.sql(LOCK_HEAD)
                .param("workspaceId", workspaceId)
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")))
                .single();
    }

    /** Puts the event on the outbox as {@code eventType}, for the change stream, in the caller's transaction. */
    public void enqueue(WorkspaceEvent e, String eventType, String payload) {
        jdbc.sql(ENQUEUE)
                .param("workspaceId", e.workspaceId())
                .param("eventType", eventType)
                .param("payload", payload)
                .param("createdAt", Timestamp.from(e.recordedAt()))
                .update();
    }

    public Head head(long workspaceId) {
        return jdbc.sql(HEAD)
                .param("workspaceId", workspaceId)
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")))
                .optional()
                .orElse(new Head(0, WorkspaceLedgerHash.GENESIS));
    }

    public void append(WorkspaceEvent e) {
        jdbc.sql(INSERT)
                .param("workspaceId", e.workspaceId())
                .param("seq", e.seq())
                .param("kind", e.kind().name())
                .param("subject", e.subject())
                .param("before", e.before())
                .param("after", e.after())
                .param("recordedAt", Timestamp.from(e.recordedAt()))
                .param("source", e.source())
                .param("reason", e.reason())
                .param("apiKeyId", e.apiKeyId())
                .param("requestId", e.requestId())
                .param("ip", e.ip())
                .param("userAgent", e.userAgent())
                .param("prevHash", e.prevHash())
                .param("hash", e.hash())
                .update();
        jdbc.sql(MOVE_HEAD)
                .param("workspaceId", e.workspaceId())
                .param("seq", e.seq())
                .param("hash", e.hash())
                .update();
    }

    public List<WorkspaceEvent> page(long workspaceId, long afterSeq, int limit) {
        return jdbc.sql(PAGE)
                .param("workspaceId", workspaceId)
                .param("afterSeq", afterSeq)
                .param("limit", limit)
                .query((rs, n) -> event(rs))
                .list();
    }

    private static WorkspaceEvent event(ResultSet rs) throws SQLException {
        return new WorkspaceEvent(
                rs.getLong("workspace_id"),
                rs.getLong("seq"),
                WorkspaceEventKind.valueOf(rs.getString("kind")),
                rs.getString("subject"),
                rs.getString("before"),
                rs.getString("after"),
                rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("source"),
                rs.getString("reason"),
                rs.getString("api_key_id"),
                rs.getString("request_id"),
                rs.getString("ip"),
                rs.getString("user_agent"),
                rs.getString("prev_hash"),
                rs.getString("hash"),
                rs.getTimestamp("erased_at") == null
                        ? null
                        : rs.getTimestamp("erased_at").toInstant());
    }
}
