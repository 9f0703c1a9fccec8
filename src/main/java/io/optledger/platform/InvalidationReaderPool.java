package io.optledger.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The invalidation reader's own connection, beside the application's pool rather than in it: when requests hold every
 * pooled connection (a burst of batch writes), a reader queued behind them misses its 900 ms and every node-local cache
 * is dropped, turning a write burst into a read slowdown too. One connection, with the pool's own settings and
 * credentials, opened on first use.
 */
@Component
class InvalidationReaderPool implements DisposableBean {

    private final DataSource application;
    private volatile @Nullable HikariDataSource own;
    private volatile @Nullable JdbcClient jdbc;

    InvalidationReaderPool(DataSource application) {
        this.application = application;
    }

    /** A client on the reader's connection; the application's pool itself when that pool is not Hikari's. */
    JdbcClient jdbc() {
        JdbcClient client = jdbc;
        if (client == null) {
            synchronized (this) {
                if (jdbc == null) {
                    jdbc = JdbcClient.create(open());
                }
                client = jdbc;
            }
        }
        return client;
    }

    private DataSource open() {
        HikariDataSource pool;
        try {
            pool = application.unwrap(HikariDataSource.class);
        } catch (SQLException notHikari) {
            return application;
        }
        HikariConfig config = new HikariConfig();
        pool.copyStateTo(config);
        config.setPoolName("invalidation-reader");
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        // a read waits no longer than the silence its caches allow
        config.setConnectionTimeout(Invalidations.MAX_SILENCE.toMillis());
        HikariDataSource opened = new HikariDataSource(config);
        own = opened;
        return opened;
    }

    @Override
    public void destroy() {
        HikariDataSource opened = own;
        if (opened != null) {
            opened.close();
        }
    }
}
