package io.optledger.suppression.internal;

import io.optledger.contact.Channel;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
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
