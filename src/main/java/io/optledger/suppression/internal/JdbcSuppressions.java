package io.optledger.suppression.internal;

import io.optledger.contact.Channel;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Suppressions in PostgreSQL. */
@Repository
public class JdbcSuppressions {

    private static final String UPSERT = """
            insert into suppressions (workspace_id, channel, address, reason, note, created_at)
            values (:workspaceId, :channel, :address, :reason, :note, :createdAt)
            on conflict (workspace_id, channel, address) do update set reason = excluded.reason, note = excluded.note
            returning channel, address, reason, note, created_at
            """;
    private static final String SELECT_AT_ADDRESSES = """
            select s.channel, s.address, s.reason, s.note, s.created_at
            from suppressions s
            join unnest(:channels::text[], :addresses::text[]) as wanted(channel, address)
              on s.channel = wanted.channel and s.address = wanted.address
            where s.workspace_id = :workspaceId
            """;
    // The lookups everything that may message an address makes (eligibility, the message worker, the dialects): the
    // suppressions and, in the same round trip, either the erased addresses among those asked (the workspace's erasure
    // key is known, so their digests are) or the erasure key itself (not known yet on this node).
    private static final String SUPPRESSIONS_AND =
            "select s.*, null::bigint as erased_index, null::bytea as erasure_key" + " from (" + SELECT_AT_ADDRESSES
                    + ") s union all ";
    private static final String SELECT_AT_ADDRESSES_AND_KEY = SUPPRESSIONS_AND + """
            select null, null, null, null, null, null, k.key from erasure_keys k where k.workspace_id = :workspaceId
            """;
    private static final String SELECT_AT_ADDRESSES_AND_TOMBSTONES = SUPPRESSIONS_AND + """
            select null, null, null, null, e.erased_at, wanted.i, null
            from erased_addresses e
            join unnest(:channels::text[], :digests::text[]) with ordinality as wanted(channel, digest, i)
              on e.channel = wanted.channel and e.digest = decode(wanted.digest, 'hex')
            where e.workspace_id = :workspaceId
            """;
    private static final String SELECT_PAGE = """
            select channel, address, reason, note, created_at from suppressions
            where workspace_id = :workspaceId and (channel, address) > (:afterChannel, :afterAddress)
            order by channel, address
            limit :limit
            """;
    private static final String DELETE = """
            delete from suppressions where workspace_id = :workspaceId and channel = :channel and address = :address
            returning channel, address, reason, note, created_at
            """;

    private final JdbcClient jdbc;

    JdbcSuppressions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Suppression upsert(long workspaceId, Suppression suppression) {
        return jdbc.sql(UPSERT)
                .param("workspaceId", workspaceId)
                .param("channel", suppression.channel().name())
                .param("address", suppression.address())
                .param("reason", suppression.reason().name())
                .param("note", suppression.note())
                .param("createdAt", Timestamp.from(suppression.createdAt()))
                .query(JdbcSuppressions::map)
                .single();
    }

    public List<Suppression> findAll(long workspaceId, List<Channel> channels, List<String> addresses) {
        return jdbc.sql(SELECT_AT_ADDRESSES)
                .param("workspaceId", workspaceId)
                .param("channels", channels.stream().map(Channel::name).toArray(String[]::new))
                .param("addresses", addresses.toArray(String[]::new))
                .query(JdbcSuppressions::map)
                .list();
    }

    /**
     * What one lookup found: the suppressions among the addresses, when each erased one among them (by index) was
     * erased, and the workspace's erasure key where the lookup read it instead of the erased addresses.
     */
    public record Found(List<Suppression> suppressions, Map<Integer, Instant> erased, byte @Nullable [] erasureKey) {}

    /** The suppressions among the addresses, and the workspace's erasure key if it has one: one round trip. */
    public Found findAllAndKey(long workspaceId, List<Channel> channels, List<String> addresses) {
        return found(jdbc.sql(SELECT_AT_ADDRESSES_AND_KEY), workspaceId, channels, addresses);
    }

    /**
     * The suppressions among the addresses and the erased ones, {@code digests} being their tombstones' digests
     * under the workspace's erasure key (pairing up by index): one round trip.
     */
    public Found findAllAndErased(
            long workspaceId, List<Channel> channels, List<String> addresses, List<String> digests) {
        return found(
                jdbc.sql(SELECT_AT_ADDRESSES_AND_TOMBSTONES).param("digests", digests.toArray(String[]::new)),
                workspaceId,
                channels,
                addresses);
    }

    private static Found found(
            JdbcClient.StatementSpec statement, long workspaceId, List<Channel> channels, List<String> addresses) {
        List<Suppression> suppressions = new ArrayList<>();
        Map<Integer, Instant> erased = new HashMap<>();
        byte[][] key = new byte[1][];
        statement
                .param("workspaceId", workspaceId)
                .param("channels", channels.stream().map(Channel::name).toArray(String[]::new))
                .param("addresses", addresses.toArray(String[]::new))
                .query(rs -> {
                    long index = rs.getLong("erased_index");
                    if (!rs.wasNull()) {
                        // with ordinality counts from 1
                        erased.put(
                                (int) index - 1, rs.getTimestamp("created_at").toInstant());
                    } else if (rs.getBytes("erasure_key") != null) {
                        key[0] = rs.getBytes("erasure_key");
                    } else {
                        suppressions.add(map(rs, 0));
                    }
                });
        return new Found(suppressions, erased, key[0]);
    }

    public List<Suppression> page(long workspaceId, String afterChannel, String afterAddress, int limit) {
        return jdbc.sql(SELECT_PAGE)
                .param("workspaceId", workspaceId)
                .param("afterChannel", afterChannel)
                .param("afterAddress", afterAddress)
                .param("limit", limit)
                .query(JdbcSuppressions::map)
                .list();
    }

    /** Deletes the suppression and answers it, if there was one. */
    public Optional<Suppression> delete(long workspaceId, Channel channel, String address) {
        return jdbc.sql(DELETE)
                .param("workspaceId", workspaceId)
                .param("channel", channel.name())
                .param("address", address)
                .query(JdbcSuppressions::map)
                .optional();
    }

    private static Suppression map(ResultSet rs, int row) throws SQLException {
        return new Suppression(
                Channel.valueOf(rs.getString("channel")),
                rs.getString("address"),
                SuppressionReason.valueOf(rs.getString("reason")),
                rs.getString("note"),
                rs.getTimestamp("created_at").toInstant());
    }
}
