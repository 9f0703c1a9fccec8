package io.optledger.topic.internal;

import io.optledger.contact.Channel;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Topics in PostgreSQL. */
@Repository
public class JdbcTopics {

    private static final String COLUMNS =
            "key, name, description, kind, default_opt_in, mandatory, double_opt_in, created_at, updated_at";
    private static final String INSERT = """
            insert into topics (workspace_id, key, name, description, kind, default_opt_in, mandatory, double_opt_in, created_at, updated_at)
            values (:workspaceId, :key, :name, :description, :kind, :defaultOptIn, :mandatory, :doubleOptIn::text[], :createdAt, :updatedAt)
            on conflict do nothing
            """;
    private static final String UPDATE = """
            update topics set name = :name, description = :description, default_opt_in = :defaultOptIn, mandatory = :mandatory,
                double_opt_in = :doubleOptIn::text[], updated_at = :updatedAt
            where workspace_id = :workspaceId and key = :key
            """;
    private static final String LOCK_ONE =
            "select " + COLUMNS + " from topics where workspace_id = :workspaceId and key = :key for update";
    private static final String SELECT_ALL =
            "select " + COLUMNS + " from topics where workspace_id = :workspaceId order by key";
    private final JdbcClient jdbc;

    JdbcTopics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** False when the key is taken. */
    public boolean insert(long workspaceId, Topic topic) {
        return bind(jdbc.sql(INSERT), workspaceId, topic)
                        .param("createdAt", Timestamp.from(topic.createdAt()))
                        .update()
                == 1;
    }

    public void update(long workspaceId, Topic topic) {
        bind(jdbc.sql(UPDATE), workspaceId, topic).update();
    }

    /** The topic as stored, its row locked until the transaction ends: the start of an atomic change. */
    public Optional<Topic> lock(long workspaceId, String key) {
        return jdbc.sql(LOCK_ONE)
                .param("workspaceId", workspaceId)
                .param("key", key)
                .query(JdbcTopics::map)
                .optional();
    }

    public List<Topic> findAll(long workspaceId) {
        return jdbc.sql(SELECT_ALL)
                .param("workspaceId", workspaceId)
                .query(JdbcTopics::map)
                .list();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, long workspaceId, Topic topic) {
        return spec.param("workspaceId", workspaceId)
                .param("key", topic.key())
                .param("name", topic.name())
                .param("description", topic.description())
                .param("kind", topic.kind().name())
                .param("defaultOptIn", topic.defaultOptIn())
                .param("mandatory", topic.mandatory())
                .param(
                        "doubleOptIn",
                        topic.doubleOptIn().stream().map(Channel::name).sorted().toArray(String[]::new))
                .param("updatedAt", Timestamp.from(topic.updatedAt()));
    }

    private static Topic map(ResultSet rs, int row) throws SQLException {
        return new Topic(
                rs.getString("key"),
                rs.getString("name"),
                rs.getString("description"),
                TopicKind.valueOf(rs.getString("kind")),
                rs.getBoolean("default_opt_in"),
                rs.getBoolean("mandatory"),
                Arrays.stream((String[]) rs.getArray("double_opt_in").getArray())
                        .map(Channel::valueOf)
                        .collect(Collectors.toSet()),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
