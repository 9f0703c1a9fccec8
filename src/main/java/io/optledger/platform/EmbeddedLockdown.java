package io.optledger.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Locks the embedded server down, on every start (each step is idempotent, so a start interrupted half-way finishes
 * the next time): passwords for the superuser and the application's role ({@link EmbeddedCredentials}), scram-sha-256
 * for every connection (the test library this server comes from initialises it trusting every local user), and the
 * application's role given data rights only: it does not own the tables, so it cannot disable the ledger's
 * append-only triggers, alter, drop or truncate them. Default privileges cover the tables later migrations create.
 */
final class EmbeddedLockdown {

    private static final List<String> HBA = List.of(
            "# written by OptLedger (platform.EmbeddedLockdown): passwords for every connection, loopback only",
            "local   all   all                  scram-sha-256",
            "host    all   all   127.0.0.1/32   scram-sha-256",
            "host    all   all   ::1/128        scram-sha-256");

    private static final List<String> GRANTS = List.of(
            "grant connect on database postgres to " + EmbeddedCredentials.APP_ROLE,
            "grant usage on schema public to " + EmbeddedCredentials.APP_ROLE,
            "revoke create on schema public from public",
            "grant select, insert, update, delete on all tables in schema public to " + EmbeddedCredentials.APP_ROLE,
            "grant usage, select on all sequences in schema public to " + EmbeddedCredentials.APP_ROLE,
            "alter default privileges for role postgres in schema public grant select, insert, update, delete on tables"
                    + " to " + EmbeddedCredentials.APP_ROLE,
            "alter default privileges for role postgres in schema public grant usage, select on sequences to "
                    + EmbeddedCredentials.APP_ROLE);

    private EmbeddedLockdown() {}

    static String url(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    static void apply(int port, EmbeddedCredentials credentials, @Nullable String superuserPassword)
            throws IOException {
        try (Connection c = DriverManager.getConnection(
                        url(port), EmbeddedCredentials.SUPERUSER, superuserPassword == null ? "" : superuserPassword);
                Statement sql = c.createStatement()) {
            sql.execute("set password_encryption = 'scram-sha-256'");
            if (superuserPassword == null) {
                String password = EmbeddedCredentials.generate();
                sql.execute("alter role postgres password '" + password + "'");
                credentials.keep(EmbeddedCredentials.SUPERUSER, password);
            }
            String app = credentials.existing(EmbeddedCredentials.APP_ROLE).orElse(null);
            if (app == null) {
                app = EmbeddedCredentials.generate();
            }
            if (!exists(sql, EmbeddedCredentials.APP_ROLE)) {
                sql.execute("create role " + EmbeddedCredentials.APP_ROLE
                        + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
            }
            sql.execute("alter role " + EmbeddedCredentials.APP_ROLE + " password '" + app + "'");
            credentials.keep(EmbeddedCredentials.APP_ROLE, app);
            for (String grant : GRANTS) {
                sql.execute(grant);
            }
            Path hba = Path.of(single(sql, "show hba_file"));
            List<String> current = Files.exists(hba) ? Files.readAllLines(hba) : List.of();
            if (!current.equals(HBA)) {
                Files.write(hba, HBA);
                sql.execute("select pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IOException("could not lock the embedded PostgreSQL down: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Statement sql, String role) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
            return rs.next();
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
