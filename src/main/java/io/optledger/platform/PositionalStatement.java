package io.optledger.platform;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.AbstractSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;

/**
 * A statement written with named parameters, as every statement here is, turned into JDBC's positional ones once.
 *
 * <p>For the statements a consent write runs on every commit: {@code NamedParameterJdbcTemplate} substitutes the names
 * on every call (a new copy of the statement's text, a parameter source, a statement factory), which for the write's
 * 3 KB statement over 45 arrays cost more than binding the values themselves. Values bind exactly as that template
 * binds them ({@link StatementCreatorUtils}, type unknown); the text is the one it would send.
 */
public final class PositionalStatement {

    private static final Object UNSET = new Object();

    private final String sql;
    private final Map<String, Integer> names;
    // the name each placeholder takes its value from, in placeholder order (a name may fill several)
    private final int[] slots;

    private PositionalStatement(String sql, Map<String, Integer> names, int[] slots) {
        this.sql = sql;
        this.names = names;
        this.slots = slots;
    }

    /** The statement {@code named}, its {@code :name} parameters parsed as Spring's named-parameter support does. */
    public static PositionalStatement of(String named) {
        var parsed = NamedParameterUtils.parseSqlStatement(named);
        // each placeholder's own name, in order: a source that answers every name with itself
        var itself = new AbstractSqlParameterSource() {
            @Override
            public boolean hasValue(String paramName) {
                return true;
            }

            @Override
            public Object getValue(String paramName) {
                return paramName;
            }
        };
        Object[] order = NamedParameterUtils.buildValueArray(parsed, itself, null);
        Map<String, Integer> names = new HashMap<>();
        int[] slots = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            slots[i] = names.computeIfAbsent((String) order[i], name -> names.size());
        }
        return new PositionalStatement(NamedParameterUtils.substituteNamedParameters(parsed, itself), names, slots);
    }

    /**
     * The statements {@code named}, run on PostgreSQL's generic plans for them, and only they: sent between a
     * {@code SET} and a {@code RESET} of {@code plan_cache_mode} in the same round trip. By default a prepared statement
     * is planned afresh on every call for as long as a plan for its values looks cheaper than the generic one, which for
     * statements over arrays it always does; for the statements given here no value changes the best plan (every row is
     * found by its key). Not {@code SET LOCAL}: sent outside a transaction, that warns on every call (into the server's
     * log). A statement that fails takes the {@code SET} with it, as its transaction (or the implicit one PostgreSQL
     * gives statements sent together) rolls back. The first result of a call is the setting's, with no rows: read rows
     * with {@link #nextRows}.
     */
    public static PositionalStatement onGenericPlans(String named) {
        return of("set plan_cache_mode = force_generic_plan;\n" + named + ";\nreset plan_cache_mode");
    }

    /** The next statement's rows, of a call that sent several, past results that have none (a setting's). */
    public static ResultSet nextRows(PreparedStatement statement) throws SQLException {
        while (!statement.getMoreResults()) {
            if (statement.getUpdateCount() == -1) {
                throw new IllegalStateException("a statement of the call answered no rows");
            }
        }
        return statement.getResultSet();
    }

    /** The statement's text with {@code ?} placeholders. */
    public String sql() {
        return sql;
    }

    /** Values to bind, every name unset. */
    public Values values() {
        return new Values();
    }

    /** One call's values, by name. */
    public final class Values {

        private final Object[] byName = new Object[names.size()];

        private Values() {
            Arrays.fill(byName, UNSET);
        }

        public Values set(String name, @Nullable Object value) {
            Integer slot = names.get(name);
            if (slot == null) {
                throw new IllegalArgumentException("the statement has no parameter :" + name);
            }
            byName[slot] = value;
            return this;
        }

        /**
         * Runs the statement with these values (exceptions translated as {@code jdbc} translates them), then
         * {@code results} over it: its answer.
         */
        public <T> @Nullable T execute(JdbcOperations jdbc, PreparedStatementCallback<T> results) {
            return jdbc.execute(sql, (PreparedStatementCallback<T>) statement -> {
                bind(statement);
                statement.execute();
                return results.doInPreparedStatement(statement);
            });
        }

        /** Binds every placeholder; a name left unset is a programming error. */
        public void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < slots.length; i++) {
                Object value = byName[slots[i]];
                if (value == UNSET) {
                    throw new IllegalStateException("no value for a parameter of: " + sql);
                }
                StatementCreatorUtils.setParameterValue(statement, i + 1, SqlTypeValue.TYPE_UNKNOWN, value);
            }
        }
    }
}
