package io.optledger.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.optledger.support.ApiClient;
import io.optledger.support.Await;
import io.optledger.support.TestWorkspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A group commit formed on purpose, for the dialects' single writes: a native change to a contact whose row lock a
 * test transaction holds leads a commit that cannot finish, so the single changes sent meanwhile queue behind it;
 * {@link #release} lets the leader commit, and the queued changes then commit together, as one group.
 */
public final class HeldCommit implements AutoCloseable {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Duration EVERY = Duration.ofMillis(10);

    private final MeterRegistry meters;
    private final Connection lock;
    private final Future<ApiClient.Response> leader;
    private final double groupsBefore;
    private final double requestsBefore;

    private HeldCommit(
            MeterRegistry meters, Connection lock, Future<ApiClient.Response> leader, double groups, double requests) {
        this.meters = meters;
        this.lock = lock;
        this.leader = leader;
        this.groupsBefore = groups;
        this.requestsBefore = requests;
    }

    /** Starts the leading change and waits until it waits for the held lock. */
    public static HeldCommit start(
            TestWorkspace workspace, DataSource dataSource, MeterRegistry meters, ExecutorService pool)
            throws SQLException {
        long held = workspace.contact("held@example.com", "+14155553999");
        double groups = summary(meters).count();
        double requests = summary(meters).totalAmount();
        Connection lock = dataSource.getConnection();
        lock.setAutoCommit(false);
        try (PreparedStatement select = lock.prepareStatement("select id from contacts where id = ? for update")) {
            select.setLong(1, held);
            select.executeQuery().close();
        }
        Future<ApiClient.Response> leader = pool.submit(() -> workspace.change(
                Map.of("contactId", held, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN")));
        JdbcClient jdbc = JdbcClient.create(dataSource);
        Await.until(
                WITHIN,
                EVERY,
                () -> jdbc.sql("select count(*) from pg_stat_activity where wait_event_type ="
                                                + " 'Lock' and query like '%for no key update of c%'")
                                        .query(Long.class)
                                        .single()
                                > 0
                        ? true
                        : null);
        return new HeldCommit(meters, lock, leader, groups, requests);
    }

    /** Waits until this many requests queue for the next commit. */
    public void awaitQueued(int requests) {
        Await.until(
                WITHIN,
                EVERY,
                () -> meters.get("optledger.consent.group.queued").gauge().value() >= requests ? true : null);
    }

    /** Lets the leader commit; the queued requests commit after it, together. */
    public void release() throws Exception {
        lock.rollback();
        ApiClient.Response led = leader.get();
        assertThat(led.status()).as(led.text()).isEqualTo(200);
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
