package io.optledger.consent;

import io.optledger.consent.internal.JdbcConsentStatistics;
import io.optledger.contact.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A workspace's consent in figures: the changes per day from the ledger, and the current subscriptions by state.
 * Read-only, for the operator console's dashboard.
 */
@Service
public class ConsentStatistics {

    /** The most days one query of daily changes covers. */
    public static final int MAX_DAYS = 366;

    private final JdbcConsentStatistics statistics;
    private final Clock clock;

    ConsentStatistics(JdbcConsentStatistics statistics, Clock clock) {
        this.statistics = statistics;
        this.clock = clock;
    }

    /** What a day's count counts: applied opt-ins (and opt-in requests), applied opt-outs, applied confirmations. */
    public enum ChangeKind {
        OPT_IN,
        OPT_OUT,
        CONFIRMATION
    }

    /** How many changes of a kind the ledger received on a day (UTC) for a topic on a channel. */
    public record DailyCount(LocalDate day, String topic, Channel channel, ChangeKind kind, long count) {}

    /**
     * How many subscriptions (not deleted) of a topic on a channel are in a status; for PENDING ones, the oldest
     * request's time and how many have waited more than a day and more than a week.
     */
    public record StateCount(
            String topic,
            Channel channel,
            Status status,
            long count,
            Instant oldest,
            long olderThanDay,
            long olderThanWeek) {}

    /**
     * The applied opt-ins, opt-outs and confirmations of the last {@code days} days (today included, UTC), by the day
     * the ledger received them: a late-arriving import of old history counts on the day it arrived.
     */
    @Transactional(readOnly = true)
    public List<DailyCount> daily(long workspaceId, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be 1 to " + MAX_DAYS + ", not " + days);
        }
        LocalDate first = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(days - 1L);
        return statistics.daily(workspaceId, first.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The workspace's subscriptions counted by topic, channel and status. */
    @Transactional(readOnly = true)
    public List<StateCount> states(long workspaceId) {
        Instant now = clock.instant();
        return statistics.states(workspaceId, now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(7)));
    }
}
