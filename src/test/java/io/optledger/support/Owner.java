package io.optledger.support;

import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SQL as the schema's owner, for tests that must get behind the ledger's triggers to tamper with it: on the embedded
 * server the superuser migrations run as (the application's role cannot), on an external server the one role given.
 */
public final class Owner {

    private Owner() {}

    public static JdbcClient jdbc(ApplicationContext context) {
        return JdbcClient.create(dataSource(context));
    }

    public static DataSource dataSource(ApplicationContext context) {
        return context.containsBean("migrationDataSource")
                ? context.getBean("migrationDataSource", DataSource.class)
                : context.getBean(DataSource.class);
    }
}
