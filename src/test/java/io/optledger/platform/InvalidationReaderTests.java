package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.optledger.support.ApiTest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The invalidation reader keeps every node-local cache live while requests hold the whole connection pool. */
@ApiTest
class InvalidationReaderTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    Invalidations invalidations;

    @Test
    void cachesStayLiveWhileThePoolIsExhausted() throws Exception {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }
            assertThat(pool.getHikariPoolMXBean().getIdleConnections())
                    .as("every pooled connection held")
                    .isZero();
            int samples = 0;
            long until = System.nanoTime() + 3 * Invalidations.MAX_SILENCE.toNanos();
            while (System.nanoTime() < until) {
                assertThat(invalidations.isLive())
                        .as("live after %d samples with the pool exhausted", samples)
                        .isTrue();
                samples++;
                Thread.sleep(50);
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}
