package io.optledger.platform;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's pool, failing fast while the database is unreachable. Without it every caller waits out the pool's
 * connection timeout (3 s) before its 503: once a connection attempt has found the server down (within a quarter of a
 * second), every caller is refused at once, and {@link DatabaseProbe} tries the pool again every {@link #PROBE_EVERY},
 * so its first success after the server is back reopens it for all. No caller waits for a probe: one that did would
 * hold whatever waits behind it (a commit group) for a quarter of a second per probe.
 */
final class FailFastDataSource extends DelegatingDataSource {

    static final Duration PROBE_EVERY = Duration.ofMillis(200);
    private static final Duration FIRST_WAIT = Duration.ofMillis(250);
    private static final String CONNECTION_FAILURE = "08001";
    private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

    /** Whether the last connection attempt found the database unreachable. */
    private final AtomicBoolean unreachable = new AtomicBoolean();

    private final HikariDataSource pool;

    FailFastDataSource(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guarded(this::acquire);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return guarded(() -> super.getConnection(username, password));
    }

    /** A way to get a connection that may fail with an {@link SQLException}. */
    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    /** Refuses at once while the server is known down; otherwise gets a connection and learns from how that went. */
    private Connection guarded(ConnectionSource source) throws SQLException {
        admitOrRefuse();
        try {
            Connection connection = source.get();
            reachable();
            return connection;
        } catch (SQLException e) {
            unreachableIf(e);
            throw e;
        }
    }

    /**
     * A connection from the pool. A first short wait tells an unreachable server (the pool's attempts to connect
     * failed meanwhile, and its timeout says why, or it holds no connection at all) from a busy pool, which is then
     * waited for up to its timeout.
     */
    private Connection acquire() throws SQLException {
        if (!(pool.getHikariPoolMXBean() instanceof HikariPool hikari)) {
            return pool.getConnection(); // not started yet: it starts now
        }
        try {
            return hikari.getConnection(FIRST_WAIT.toMillis());
        } catch (SQLTransientConnectionException e) {
            if (DatabaseFailures.isUnreachable(e)) {
                throw e;
            }
            if (hikari.getTotalConnections() == 0) {
                // A pool with no connection at all is not busy: it cannot connect. Its timeout may carry no cause (the
                // last failure was a dead connection found without an exception), and waiting out the rest of the
                // connection timeout would hold this caller, and a commit group queued behind it, for seconds.
                throw new SQLTransientConnectionException(
                        "no connection to the database could be made", CONNECTION_FAILURE, e);
            }
            return hikari.getConnection(Math.max(pool.getConnectionTimeout() - FIRST_WAIT.toMillis(), 1));
        }
    }

    /** Whether the last connection attempt found the database unreachable. */
    boolean down() {
        return unreachable.get();
    }

    private void admitOrRefuse() throws SQLTransientConnectionException {
        if (down()) {
            throw new SQLTransientConnectionException("the database is unreachable; retry shortly", CONNECTION_FAILURE);
        }
    }

    /** While the database is unreachable, tries the pool once: a connection that answers reopens it for all callers. */
    void probe() {
        if (!down()) {
            return;
        }
        try (Connection connection = acquire()) {
            // a connection the pool hands out unchecked (used moments ago) may be one the server's death broke
            if (connection.isValid(1)) {
                reachable();
            }
        } catch (SQLException e) {
            log.debug("The database is still unreachable: {}", e.getMessage());
        }
    }

    private void reachable() {
        if (unreachable.getAndSet(false)) {
            log.info("The database is reachable again");
        }
    }

    private void unreachableIf(SQLException e) {
        if (DatabaseFailures.isUnreachable(e) && !unreachable.getAndSet(true)) {
            log.warn("The database is unreachable ({}): refusing requests at once until it answers", e.getMessage());
        }
    }
}
