package io.optledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.optledger.consent.GroupCommitSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A group commit formed on purpose: native changes to contacts whose row locks a test
 * transaction holds lead commits that cannot finish, one in each of the group commit's lanes, so the single changes
 * sent meanwhile queue behind them; {@link #release} lets the leaders commit, and the queued changes then commit
 * together, as one group.
 */
public final class HeldCommit implements AutoCloseable {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Duration EVERY = Duration.ofMillis(10);

    private final MeterRegistry meters;
    private final Connection lock;
    private final List<Future<ApiClient.Response>> leaders;
    private final double groupsBefore;
    private final double requestsBefore;

    private HeldCommit(
            MeterRegistry meters,
            Connection lock,
            List<Future<ApiClient.Response>> leaders,
            double groups,
            double requests) {
        this.meters = meters;
        this.lock = lock;
        this.leaders = leaders;
        this.groupsBefore = groups;
        this.requestsBefore = requests;
    }

    /** Starts a leading change in every lane and waits until each waits for the held locks. */
    public static HeldCommit start(
            TestWorkspace workspace,
            DataSource dataSource,
            MeterRegistry meters,
            GroupCommitSettings settings,
            ExecutorService pool)
            throws SQLException {
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < settings.lanes(); i++) {
            held.add(workspace.contact("held-" + i + "@example.com", "+1415555398" + i));
        }
        double groups = summary(meters).count();
        double requests = summary(meters).totalAmount();
        Connection lock = dataSource.getConnection();
        lock.setAutoCommit(false);
        try (PreparedStatement select =
                lock.prepareStatement("select id from contacts where id = any(?) order by id for update")) {
            select.setArray(1, lock.createArrayOf("bigint", held.toArray()));
            select.executeQuery().close();
        }
        List<Future<ApiClient.Response>> leaders = new ArrayList<>();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        for (long contact : held) {
            leaders.add(pool.submit(() -> workspace.change(
                    Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"))));
            // one at a time: each leads a lane of its own only once the one before it waits
            long waiting = leaders.size();
            Await.until(
                    WITHIN,
                    EVERY,
                    () -> jdbc.sql("select count(*) from pg_stat_activity where wait_event_type ="
                                                    + " 'Lock' and query like '%for no key update of c%'")
                                            .query(Long.class)
                                            .single()
                                    >= waiting
                            ? true
                            : null);
        }
        return new HeldCommit(meters, lock, leaders, groups, requests);
    }

    /** Whether every held commit still waits. */
    public boolean holding() {
        return leaders.stream().noneMatch(Future::isDone);
    }

    /** The commits held, one per lane: each is a group of its own. */
    public int leaders() {
        return leaders.size();
    }

    /** Waits until this many requests queue for the next commit. */
    public void awaitQueued(int requests) {
        Await.until(
                WITHIN,
                EVERY,
                () -> meters.get("optledger.consent.group.queued").gauge().value() >= requests ? true : null);
    }

    /** Lets the leaders commit; the queued requests commit after the first of them, together. */
    public void release() throws Exception {
        lock.rollback();
        for (Future<ApiClient.Response> leader : leaders) {
            ApiClient.Response led = leader.get();
            assertThat(led.status()).as(led.text()).isEqualTo(200);
        }
    }

    /** Commits since the start, and the requests they committed. */
    public double groups() {
        return summary(meters).count() - groupsBefore;
    }

    public double requests() {
        return summary(meters).totalAmount() - requestsBefore;
    }

    @Override
    public void close() throws SQLException {
        lock.rollback();
        lock.close();
    }

    private static io.micrometer.core.instrument.DistributionSummary summary(MeterRegistry meters) {
        return meters.get("optledger.consent.group.size").summary();
    }
}
