package io.optledger.platform;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * What a database failure means to a caller. The database gone (killed, restarting, refusing connections), out of
 * disk or otherwise refusing writes, or the pool saturated: nothing was done and the same request succeeds later, so
 * it answers 503 with {@code Retry-After}, never 500.
 */
public final class DatabaseFailures {

    /** SQLSTATE classes: connection exception, insufficient resources, operator intervention, system error. */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "53", "57", "58");
    /** Read-only transaction: a server in recovery or set read-only refuses writes for a while. */
    private static final String READ_ONLY = "25006";

    private static final int MAX_CAUSES = 16;

    private DatabaseFailures() {}

    /** True when the request failed because the database is unavailable or saturated: retry shortly (503). */
    public static boolean isUnavailable(Throwable failure) {
        Throwable e = failure;
        for (int depth = 0; e != null && depth < MAX_CAUSES; depth++, e = e.getCause()) {
            if (e instanceof CannotGetJdbcConnectionException
                    || e instanceof TransientDataAccessException
                    || e instanceof DataAccessResourceFailureException
                    || e instanceof SQLTransientException
                    // a commit or rollback the connection could not carry out: it broke under the transaction
                    || e instanceof TransactionSystemException && e.getCause() instanceof SQLException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.length() >= 2 && UNAVAILABLE_CLASSES.contains(state.substring(0, 2))
                        || READ_ONLY.equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when a connection could not be had because the server is unreachable, down or starting, as opposed to a
     * pool that is merely busy (whose timeout carries no cause).
     */
    static boolean isUnreachable(SQLException failure) {
        Throwable e = failure;
        for (int depth = 0; e != null && depth < MAX_CAUSES; depth++, e = e.getCause()) {
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }
}
