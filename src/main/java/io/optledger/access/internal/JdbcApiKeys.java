package io.optledger.access.internal;

import io.optledger.access.ApiKey;
import io.optledger.access.Scope;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API keys in PostgreSQL; secrets only as SHA-256. */
@Repository
public class JdbcApiKeys {

    private static final String INSERT = """
            insert into api_keys (workspace_id, id, name, secret_hash, secret_md5_hash, scopes, created_at)
            values (:workspaceId, :id, :name, :secretHash, :md5Hash, :scopes::text[], :createdAt)
            """;
    private static final String SELECT_ACTIVE_BY_HASH = """
            select workspace_id, id, name, scopes, created_at, revoked_at, secret_md5_hash is not null as has_md5
            from api_keys where secret_hash = :secretHash and revoked_at is null
            """;
    private static final String SELECT_ACTIVE_BY_MD5_HASH = """
            select workspace_id, id, name, scopes, created_at, revoked_at
            from api_keys where secret_md5_hash = :md5Hash and revoked_at is null
            """;
    private static final String SET_MD5_HASH = """
            update api_keys set secret_md5_hash = :md5Hash
            where workspace_id = :workspaceId and id = :id and secret_md5_hash is null
            """;
    private static final String SELECT_BY_WORKSPACE = """
            select workspace_id, id, name, scopes, created_at, revoked_at
            from api_keys where workspace_id = :workspaceId order by created_at, id
            """;
    private static final String REVOKE = """
            update api_keys set revoked_at = coalesce(revoked_at, :now)
            where workspace_id = :workspaceId and id = :id
            """;

    private static final RowMapper<ApiKey> ROW = JdbcApiKeys::map;

    private final JdbcClient jdbc;

    JdbcApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A key's {@code md5Hash} is the SHA-256 of the MD5 hex of its secret (see {@code V7}). */
    public void insert(ApiKey key, byte[] secretHash, byte[] md5Hash) {
        jdbc.sql(INSERT)
                .param("workspaceId", key.workspaceId())
                .param("id", key.id())
                .param("name", key.name())
                .param("secretHash", secretHash)
                .param("md5Hash", md5Hash)
                .param(
                        "scopes",
                        key.scopes().stream().map(Scope::value).sorted().toArray(String[]::new))
                .param("createdAt", Timestamp.from(key.createdAt()))
                .update();
    }

    /** The active key with this secret hash, and whether it has its MD5 hash yet. */
    public Optional<Map.Entry<ApiKey, Boolean>> findActiveBySecretHash(byte[] secretHash) {
        return jdbc.sql(SELECT_ACTIVE_BY_HASH)
                .param("secretHash", secretHash)
                .query((rs, row) -> Map.entry(map(rs, row), rs.getBoolean("has_md5")))
                .optional();
    }

    public Optional<ApiKey> findActiveByMd5Hash(byte[] md5Hash) {
        return jdbc.sql(SELECT_ACTIVE_BY_MD5_HASH)
                .param("md5Hash", md5Hash)
                .query(ROW)
                .optional();
    }

    /** Fills the MD5 hash of a key issued before there was one; a no-op once it is set. */
    public void setMd5HashIfMissing(long workspaceId, String id, byte[] md5Hash) {
        jdbc.sql(SET_MD5_HASH)
                .param("workspaceId", workspaceId)
                .param("id", id)
                .param("md5Hash", md5Hash)
                .update();
    }

    public List<ApiKey> findByWorkspace(long workspaceId) {
        return jdbc.sql(SELECT_BY_WORKSPACE)
                .param("workspaceId", workspaceId)
                .query(ROW)
                .list();
    }

    public boolean revoke(long workspaceId, String id, Instant now) {
        return jdbc.sql(REVOKE)
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .param("now", Timestamp.from(now))
                        .update()
                > 0;
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        Array scopes = rs.getArray("scopes");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(
                rs.getString("id"),
                rs.getLong("workspace_id"),
                rs.getString("name"),
                Arrays.stream((String[]) scopes.getArray()).map(Scope::of).collect(Collectors.toSet()),
                rs.getTimestamp("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
