package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The schema as Flyway leaves it: also run against an external PostgreSQL by {@code .ci/run}. */
@ApiTest
class MigrationTests {

    @Autowired
    JdbcClient jdbc;

    @Test
    void appliesEveryMigrationSuccessfully() {
        List<Boolean> applied = jdbc.sql("select success from flyway_schema_history where version is not null")
                .query(Boolean.class)
                .list();
        assertThat(applied).hasSizeGreaterThanOrEqualTo(5).containsOnly(true);
    }

    @Test
    void keysEveryTableByWorkspace() {
        List<String> tables = jdbc.sql("""
                        select table_name from information_schema.tables
                        where table_schema = current_schema() and table_type = 'BASE TABLE'
                          and table_name <> 'flyway_schema_history'
                        """).query(String.class).list();
        assertThat(tables)
                .contains(
                        "workspaces",
                        "api_keys",
                        "contacts",
                        "identifiers",
                        "topics",
                        "subscriptions",
                        "consent_events",
                        "outbox",
                        "suppressions",
                        "idempotency_keys");
        for (String table : tables) {
            String column = table.equals("workspaces") ? "id" : "workspace_id";
            Integer keyed = jdbc.sql("""
                            select count(*) from information_schema.key_column_usage k
                            join information_schema.table_constraints c
                              on c.constraint_name = k.constraint_name and c.table_name = k.table_name
                            where c.constraint_type = 'PRIMARY KEY' and k.table_name = :table and k.column_name = :column
                            """)
                    .param("table", table)
                    .param("column", column)
                    .query(Integer.class)
                    .single();
            assertThat(keyed).as(table + " primary key includes " + column).isEqualTo(1);
        }
    }

    @Test
    void createsTheBootstrapWorkspaceOnce() {
        assertThat(jdbc.sql("select count(*) from api_keys where name = 'bootstrap'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
