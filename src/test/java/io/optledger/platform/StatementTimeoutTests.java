package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 13: the application's connections bound every statement (30 s) and every lock wait (10 s), so that leased work
 * (an idempotency key held for a minute, a message's 60 s lease) never outlives the statement doing it.
 */
@ApiTest
class StatementTimeoutTests {

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyConnectionOfThePoolBoundsStatementsAndLockWaits() {
        assertThat(jdbc.sql("select current_setting('statement_timeout')")
                        .query(String.class)
                        .single())
                .isEqualTo("30s");
        assertThat(jdbc.sql("select current_setting('lock_timeout')")
                        .query(String.class)
                        .single())
                .isEqualTo("10s");
    }
}
