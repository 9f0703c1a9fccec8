package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiTest;
import io.optledger.support.Owner;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The schema as Flyway leaves it: also run against an external PostgreSQL by {@code .ci/run}. */
@ApiTest
class MigrationTests {

    private static final List<String> TABLES = List.of("contacts", "subscriptions", "messages");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

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

    @Test
    void idsIssuedBeforeOpaqueIdsKeepTheirValuesAndTheNumberingCarriesOn() {
        // a database as V17 left it, in a schema of its own, with a contact, a subscription and a message
        String schema = "upgrade_" + Long.toHexString(System.nanoTime());
        DataSource ownerSource = Owner.dataSource(context);
        JdbcClient owner = JdbcClient.create(ownerSource);
        try {
            migrate(ownerSource, schema, "17");
            long workspace = single(owner, """
                    insert into %s.workspaces (name, default_region, created_at) values ('old', 'US', now())
                    returning id""", schema);
            owner.sql(("insert into %s.topics (workspace_id, key, name, kind, default_opt_in, created_at, updated_at)"
                                    + " values (:w, 'news', 'news', 'MARKETING', false, now(), now())")
                            .formatted(schema))
                    .param("w", workspace)
                    .update();
            long[] before = rows(owner, schema, workspace, "a");

            migrate(ownerSource, schema, "latest");
            long[] after = rows(owner, schema, workspace, "b");
            for (int i = 0; i < TABLES.size(); i++) {
                assertThat(owner.sql("select min(id) from %s.%s where workspace_id = :w"
                                        .formatted(schema, TABLES.get(i)))
                                .param("w", workspace)
                                .query(Long.class)
                                .single())
                        .as(TABLES.get(i) + ": the old row's id")
                        .isEqualTo(before[i]);
                // each numbering carries on from where it stood, through the permutation, above every old id
                assertThat(after[i])
                        .as(TABLES.get(i) + ": the new row's id")
                        .isEqualTo(single(owner, "select %s.opaque_id(" + (before[i] + 1) + ")", schema))
                        .isBetween(1L << 52, (1L << 53) - 1);
            }
            assertThat(single(owner, "select %s.opaque_id(1)", schema))
                    .as("keys of its own: another installation's permutation")
                    .isNotEqualTo(
                            jdbc.sql("select opaque_id(1)").query(Long.class).single());
        } finally {
            owner.sql("drop schema if exists " + schema + " cascade").update();
        }
    }

    private static void migrate(DataSource owner, String schema, String target) {
        Flyway.configure()
                .dataSource(owner)
                .schemas(schema)
                .locations("classpath:db/migration")
                .target(target)
                .load()
                .migrate();
    }

    /** A contact, a subscription of it and a message to it, as the column defaults number them: their ids. */
    private static long[] rows(JdbcClient owner, String schema, long workspace, String name) {
        long contact = owner.sql(
                        "insert into %s.contacts (workspace_id, created_at, updated_at) values (:w, now(), now()) returning id"
                                .formatted(schema))
                .param("w", workspace)
                .query(Long.class)
                .single();
        long subscription = owner.sql(("insert into %s.subscriptions (workspace_id, contact_id, channel, address,"
                                + " topic_key, status, occurred_at, source, updated_at)"
                                + " values (:w, :c, 'EMAIL', :a, 'news', 'SUBSCRIBED', now(), 'test', now()) returning id")
                        .formatted(schema))
                .param("w", workspace)
                .param("c", contact)
                .param("a", name + "@example.com")
                .query(Long.class)
                .single();
        long message = owner.sql(("insert into %s.messages (workspace_id, contact_id, channel, recipient, template,"
                                + " locale, body, status, next_attempt_at, created_at)"
                                + " values (:w, :c, 'EMAIL', :a, 'HELP', 'en', 'hi', 'QUEUED', now(), now()) returning id")
                        .formatted(schema))
                .param("w", workspace)
                .param("c", contact)
                .param("a", name + "@example.com")
                .query(Long.class)
                .single();
        return new long[] {contact, subscription, message};
    }

    private static long single(JdbcClient owner, String sql, String schema) {
        return owner.sql(sql.formatted(schema)).query(Long.class).single();
    }
}
