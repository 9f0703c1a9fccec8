package io.optledger.suppression.internal;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Erased addresses as keyed hashes, and the key of each workspace, in PostgreSQL. */
@Repository
public class JdbcTombstones {

    // a workspace's first erasure makes its key; a concurrent one keeps whichever committed first
    private static final String MAKE_KEY = """
            insert into erasure_keys (workspace_id, key) values (:workspaceId, decode(:key, 'hex'))
            on conflict (workspace_id) do nothing
            """;
    private static final String SELECT_KEY = "select key from erasure_keys where workspace_id = :workspaceId";
    private static final String INSERT = """
            insert into erased_addresses (workspace_id, channel, digest, erased_at)
            values (:workspaceId, :channel, decode(:digest, 'hex'), :erasedAt)
            on conflict (workspace_id, channel, digest) do nothing
            """;
    private static final String SELECT_AMONG = """
            select e.channel, encode(e.digest, 'hex') as digest, e.erased_at
            from erased_addresses e
            join unnest(:channels::text[], :digests::text[]) as wanted(channel, digest)
              on e.channel = wanted.channel and e.digest = decode(wanted.digest, 'hex')
            where e.workspace_id = :workspaceId
            """;
    private static final String DELETE = """
            delete from erased_addresses
            where workspace_id = :workspaceId and channel = :channel and digest = decode(:digest, 'hex')
            returning erased_at
            """;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final JdbcClient jdbc;

    JdbcTombstones(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<byte[]> key(long workspaceId) {
        return jdbc.sql(SELECT_KEY)
                .param("workspaceId", workspaceId)
                .query(byte[].class)
                .optional();
    }

    public byte[] keyMadeIfMissing(long workspaceId) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        jdbc.sql(MAKE_KEY)
                .param("workspaceId", workspaceId)
                .param("key", HEX.formatHex(fresh))
                .update();
        return key(workspaceId).orElseThrow();
    }

    public void insert(long workspaceId, String channel, String digest, Instant erasedAt) {
        jdbc.sql(INSERT)
                .param("workspaceId", workspaceId)
                .param("channel", channel)
                .param("digest", digest)
                .param("erasedAt", Timestamp.from(erasedAt))
                .update();
    }

    /** The erasure time of each (channel, digest) that is a tombstone, keyed by {@code channel + ":" + digest}. */
    public Map<String, Instant> among(long workspaceId, List<String> channels, List<String> digests) {
        Map<String, Instant> found = new java.util.HashMap<>();
        jdbc.sql(SELECT_AMONG)
                .param("workspaceId", workspaceId)
                .param("channels", channels.toArray(String[]::new))
                .param("digests", digests.toArray(String[]::new))
                .query(rs -> {
                    found.put(
                            rs.getString("channel") + ":" + rs.getString("digest"),
                            rs.getTimestamp("erased_at").toInstant());
                });
        return found;
    }

    public Optional<Instant> delete(long workspaceId, String channel, String digest) {
        return jdbc.sql(DELETE)
                .param("workspaceId", workspaceId)
                .param("channel", channel)
                .param("digest", digest)
                .query((rs, n) -> rs.getTimestamp("erased_at").toInstant())
                .optional();
    }
}
