package io.optledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * With {@code --statements}: what the database spent its time on in each closed-loop scenario, from
 * {@code pg_stat_statements} (preloaded into the embedded server; an external one must preload it itself), printed
 * after the scenario's line and reset for the next. For a probe: the statements' own time, not the service's.
 */
final class Statements {

    /** The embedded server's settings that load the extension. */
    static final Map<String, String> SERVER_CONFIG =
            Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.max", "1000");

    private static final int SHOWN = 8;
    private static final int QUERY_WIDTH = 120;

    private static Statements current;

    private final String url;
    private final String user;
    private final String password;

    private Statements(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Creates the extension and starts counting; what {@link #printAndReset} reads from then on. */
    static void start(String url, String user, String password) throws SQLException {
        Statements statements = new Statements(url, user, password);
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement sql = c.createStatement()) {
            sql.execute("create extension if not exists pg_stat_statements");
            sql.execute("select pg_stat_statements_reset()");
        }
        current = statements;
    }

    /** A fresh count, when counting: what came before the first scenario (seeding, warm-ups) is not shown. */
    static void reset() {
        if (current != null) {
            try (Connection c = DriverManager.getConnection(current.url, current.user, current.password);
                    Statement sql = c.createStatement()) {
                sql.execute("select pg_stat_statements_reset()");
            } catch (SQLException e) {
                System.out.println("    (pg_stat_statements not reset: " + e.getMessage() + ")");
            }
        }
    }

    /** After a scenario's line, when counting: its top statements by total time, then a fresh count. */
    static void printAndReset() {
        if (current != null) {
            current.print();
        }
    }

    private void print() {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement sql = c.createStatement()) {
            try (ResultSet rs = sql.executeQuery("""
                    select calls, total_exec_time, mean_exec_time, rows,
                        regexp_replace(query, '\\s+', ' ', 'g') as query,
                        sum(total_exec_time) over () as all_time
                    from pg_stat_statements
                    where query not like '%pg_stat_statements%'
                    order by total_exec_time desc
                    limit\s""" + SHOWN)) {
                while (rs.next()) {
                    String query = rs.getString("query");
                    System.out.printf(
                            Locale.ROOT,
                            "    db %5.1f%% %9.0f ms %8d calls %8.3f ms/call %7.1f rows/call  %s%n",
                            100 * rs.getDouble("total_exec_time") / Math.max(1e-9, rs.getDouble("all_time")),
                            rs.getDouble("total_exec_time"),
                            rs.getLong("calls"),
                            rs.getDouble("mean_exec_time"),
                            rs.getLong("rows") / (double) Math.max(1, rs.getLong("calls")),
                            query.length() > QUERY_WIDTH ? query.substring(0, QUERY_WIDTH) + "…" : query);
                }
            }
            sql.execute("select pg_stat_statements_reset()");
        } catch (SQLException e) {
            System.out.println("    (pg_stat_statements not readable: " + e.getMessage() + ")");
        }
    }
}
