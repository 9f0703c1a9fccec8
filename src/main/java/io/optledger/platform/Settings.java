package io.optledger.platform;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-workspace configuration values as JSON, by namespace and key, for modules whose configuration is a handful of
 * records (a dialect's registered databases and resources). Cached per namespace on every node and kept current by
 * {@link Invalidations}.
 */
@Service
public class Settings {

    private static final String UPSERT = """
            insert into settings (workspace_id, namespace, key, value, updated_at)
            values (:workspaceId, :namespace, :key, :value::jsonb, :now)
            on conflict (workspace_id, namespace, key) do update set value = excluded.value, updated_at = excluded.updated_at
            """;
    private static final String SELECT_NAMESPACE = """
            select key, value::text as value from settings
            where workspace_id = :workspaceId and namespace = :namespace order by key
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final InvalidatedCache<Map<String, JsonNode>> cache;

    Settings(JdbcClient jdbc, JsonMapper json, Invalidations invalidations, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.cache = new InvalidatedCache<>(invalidations, Invalidation.Kind.SETTINGS);
        this.clock = clock;
    }

    /** Creates or replaces the value under a key. */
    /** Writes the setting and its invalidation in one transaction: other nodes learn of it exactly when it commits. */
    @Transactional
    public void put(long workspaceId, String namespace, String key, Object value) {
        jdbc.sql(UPSERT)
                .param("workspaceId", workspaceId)
                .param("namespace", namespace)
                .param("key", key)
                .param("value", json.writeValueAsString(value))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        cache.changed(workspaceId, namespace);
    }

    public <T> Optional<T> get(long workspaceId, String namespace, String key, Class<T> type) {
        return Optional.ofNullable(values(workspaceId, namespace).get(key)).map(value -> json.treeToValue(value, type));
    }

    /** Every value of the namespace, by key in key order. */
    public <T> Map<String, T> all(long workspaceId, String namespace, Class<T> type) {
        Map<String, T> all = new LinkedHashMap<>();
        values(workspaceId, namespace).forEach((key, value) -> all.put(key, json.treeToValue(value, type)));
        return all;
    }

    private Map<String, JsonNode> values(long workspaceId, String namespace) {
        return cache.get(workspaceId, namespace, () -> load(workspaceId, namespace));
    }

    private Map<String, JsonNode> load(long workspaceId, String namespace) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        jdbc.sql(SELECT_NAMESPACE)
                .param("workspaceId", workspaceId)
                .param("namespace", namespace)
                .query(rs -> {
                    values.put(rs.getString("key"), json.readTree(rs.getString("value")));
                });
        return Collections.unmodifiableMap(values);
    }
}
