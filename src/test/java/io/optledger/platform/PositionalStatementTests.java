package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;

/**
 * Issue 17: the consent write's statements are turned into positional ones once. The text is the one Spring's
 * named-parameter support sends, and each placeholder is bound with its own name's value, a name used twice on both.
 * (The statements themselves run against PostgreSQL in every consent test.)
 */
class PositionalStatementTests {

    private static final String NAMED = """
            select :workspaceId, x from unnest(:ids::bigint[]) as x
            where :workspaceId > 0 and cast(:label as text) is not null
            """;

    @Test
    void theTextIsTheOneTheNamedTemplateSendsAndEachPlaceholderGetsItsNamesValue() throws Exception {
        PositionalStatement statement = PositionalStatement.of(NAMED);
        Long[] ids = {3L, 1L};
        MapSqlParameterSource named = new MapSqlParameterSource()
                .addValue("workspaceId", 7L)
                .addValue("ids", ids)
                .addValue("label", "a:b");
        assertThat(statement.sql())
                .isEqualTo(NamedParameterUtils.substituteNamedParameters(NAMED, named))
                .contains("?::bigint[]")
                .doesNotContain(":workspaceId");

        List<Object> bound = new ArrayList<>();
        statement
                .values()
                .set("label", "a:b")
                .set("ids", ids)
                .set("workspaceId", 7L)
                .bind(recording(bound));

        assertThat(bound).containsExactly(1, 7L, 2, ids, 3, 7L, 4, "a:b");
    }

    @Test
    void aNameLeftUnsetOrNotInTheStatementIsAProgrammingError() {
        PositionalStatement statement = PositionalStatement.of(NAMED);
        PositionalStatement.Values values =
                statement.values().set("workspaceId", 7L).set("ids", new Long[0]);

        assertThatThrownBy(() -> values.bind(recording(new ArrayList<>())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no value");
        assertThatThrownBy(() -> values.set("lable", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":lable");
    }

    /** A statement that records each value set on it as (index, value). */
    private static PreparedStatement recording(List<Object> bound) {
        return (PreparedStatement) Proxy.newProxyInstance(
                PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("set") && args != null && args.length >= 2) {
                        bound.add(args[0]);
                        bound.add(args[1]);
                    }
                    return null;
                });
    }
}
