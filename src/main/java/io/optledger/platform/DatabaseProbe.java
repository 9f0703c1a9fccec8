package io.optledger.platform;

import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * While the fail-fast pool refuses callers (the database was found unreachable), tries it again every {@link
 * FailFastDataSource#PROBE_EVERY}, so it reopens within moments of the server coming back, with or without requests
 * arriving. Otherwise a pass does nothing.
 */
@Component
class DatabaseProbe implements SupervisedLoop {

    private final @Nullable FailFastDataSource pool;

    DatabaseProbe(DataSource dataSource) throws SQLException {
        this.pool =
                dataSource.isWrapperFor(FailFastDataSource.class) ? dataSource.unwrap(FailFastDataSource.class) : null;
    }

    @Override
    public String name() {
        return "database-probe";
    }

    @Override
    public Duration interval() {
        return FailFastDataSource.PROBE_EVERY;
    }

    @Override
    public Duration stallAfter() {
        // a probe waits a quarter of a second for the pool, at most its 3 s timeout, and 1 s for an answer
        return Duration.ofMinutes(1);
    }

    @Override
    public boolean runOnce() {
        if (pool != null) {
            pool.probe();
        }
        return false;
    }
}
