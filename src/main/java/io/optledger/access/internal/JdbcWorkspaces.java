package io.optledger.access.internal;

import io.optledger.access.Workspace;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Workspaces in PostgreSQL. */
@Repository
public class JdbcWorkspaces {

    private static final String INSERT = """
            insert into workspaces (name, default_region, created_at)
            values (:name, :defaultRegion, :createdAt)
            returning id
            """;
    private static final String SELECT_BY_ID =
            "select id, name, default_region, created_at from workspaces where id = :id";
    private static final String COUNT = "select count(*) from workspaces";
    // one bootstrap at a time across every node that starts against the same database
    private static final String LOCK_BOOTSTRAP = "select pg_advisory_xact_lock(7301001)";

    private final JdbcClient jdbc;

    JdbcWorkspaces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Workspace insert(String name, String defaultRegion, Instant createdAt) {
        long id = jdbc.sql(INSERT)
                .param("name", name)
                .param("defaultRegion", defaultRegion)
                .param("createdAt", Timestamp.from(createdAt))
                .query(Long.class)
                .single();
        return new Workspace(id, name, defaultRegion, createdAt);
    }

    public Optional<Workspace> findById(long id) {
        return jdbc.sql(SELECT_BY_ID)
                .param("id", id)
                .query((rs, row) -> new Workspace(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("default_region"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    public long count() {
        return jdbc.sql(COUNT).query(Long.class).single();
    }

    public void lockForBootstrap() {
        jdbc.sql(LOCK_BOOTSTRAP).query().singleValue();
    }
}
