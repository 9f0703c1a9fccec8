package io.optledger.consent.internal;

import io.optledger.consent.ConsentStatistics.ChangeKind;
import io.optledger.consent.ConsentStatistics.DailyCount;
import io.optledger.consent.ConsentStatistics.StateCount;
import io.optledger.consent.Status;
import io.optledger.contact.Channel;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The dashboard's aggregates over the ledger and the subscriptions. */
@Repository
public class JdbcConsentStatistics {

    // answered by an index-only scan of consent_event_change_by_day_idx (V33): its predicate is this query's filter,
    // and it carries every column the query reads
    private static final String SELECT_DAILY = """
            select (recorded_at at time zone 'UTC')::date as day, topic_key, channel,
                   case action when 'CONFIRM' then 'CONFIRMATION' when 'OPT_OUT' then 'OPT_OUT' else 'OPT_IN' end
                       as kind,
                   count(*) as n
            from consent_events
            where workspace_id = :workspaceId and recorded_at >= :from
              and outcome in ('CREATED', 'CHANGED') and action in ('OPT_IN', 'REQUEST_OPT_IN', 'CONFIRM', 'OPT_OUT')
            group by 1, 2, 3, 4
            order by 1, 2, 3, 4
            """;
    // one pass over the workspace's subscriptions (its primary key range): current counts and pending ages together
    private static final String SELECT_STATES = """
            select topic_key, channel, status, count(*) as n, min(updated_at) as oldest,
                   count(*) filter (where updated_at < :dayAgo) as older_than_day,
                   count(*) filter (where updated_at < :weekAgo) as older_than_week
            from subscriptions
            where workspace_id = :workspaceId and not deleted
            group by topic_key, channel, status
            order by topic_key, channel, status
            """;

    private final JdbcClient jdbc;

    JdbcConsentStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<DailyCount> daily(long workspaceId, Instant from) {
        return jdbc.sql(SELECT_DAILY)
                .param("workspaceId", workspaceId)
                .param("from", Timestamp.from(from))
                .query((rs, row) -> new DailyCount(
                        rs.getDate("day").toLocalDate(),
                        rs.getString("topic_key"),
                        Channel.valueOf(rs.getString("channel")),
                        ChangeKind.valueOf(rs.getString("kind")),
                        rs.getLong("n")))
                .list();
    }

    public List<StateCount> states(long workspaceId, Instant dayAgo, Instant weekAgo) {
        return jdbc.sql(SELECT_STATES)
                .param("workspaceId", workspaceId)
                .param("dayAgo", Timestamp.from(dayAgo))
                .param("weekAgo", Timestamp.from(weekAgo))
                .query((rs, row) -> new StateCount(
                        rs.getString("topic_key"),
                        Channel.valueOf(rs.getString("channel")),
                        Status.valueOf(rs.getString("status")),
                        rs.getLong("n"),
                        rs.getTimestamp("oldest").toInstant(),
                        rs.getLong("older_than_day"),
                        rs.getLong("older_than_week")))
                .list();
    }
}
