package io.optledger.topic.internal;

import io.optledger.topic.SignUpUnit;
import io.optledger.topic.SignUpUnit.Disclosure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sign-up units and their disclosure versions in PostgreSQL. */
@Repository
public class JdbcSignUpUnits {

    private static final String INSERT_UNIT = """
            insert into sign_up_units (workspace_id, id, name, channel, subscription_type, language, country,
                single_opt_in_allowed, disclosure_version, created_at, updated_at)
            values (:workspaceId, :id, :name, :channel, :type, :language, :country, :singleOptIn, :version, :now, :now)
            """;
    private static final String UPDATE_UNIT = """
            update sign_up_units set name = :name, language = :language, country = :country,
                single_opt_in_allowed = :singleOptIn, disclosure_version = :version, updated_at = :now
            where workspace_id = :workspaceId and id = :id and deleted_at is null
            """;
    private static final String DELETE_UNIT = """
            update sign_up_units set deleted_at = :now
            where workspace_id = :workspaceId and id = :id and deleted_at is null
            """;
    private static final String INSERT_DISCLOSURE = """
            insert into sign_up_unit_disclosures (workspace_id, unit_id, version, text, hash, created_at)
            values (:workspaceId, :unitId, :version, :text, :hash, :now)
            """;
    private static final String SELECT = """
            select u.id, u.name, u.channel, u.subscription_type, u.language, u.country, u.single_opt_in_allowed,
                u.created_at, u.updated_at, d.version, d.text, d.hash
            from sign_up_units u
            join sign_up_unit_disclosures d
              on d.workspace_id = u.workspace_id and d.unit_id = u.id and d.version = u.disclosure_version
            where u.workspace_id = :workspaceId and u.deleted_at is null
            """;
    private static final String SELECT_DISCLOSURES = """
            select version, text, hash from sign_up_unit_disclosures
            where workspace_id = :workspaceId and unit_id = :unitId order by version
            """;

    private final JdbcClient jdbc;

    JdbcSignUpUnits(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(long workspaceId, SignUpUnit unit) {
        jdbc.sql(INSERT_UNIT)
                .param("workspaceId", workspaceId)
                .param("id", unit.id())
                .param("name", unit.name())
                .param("channel", unit.channel().name())
                .param("type", unit.subscriptionType().name())
                .param("language", unit.language())
                .param("country", unit.country())
                .param("singleOptIn", unit.singleOptInAllowed())
                .param("version", unit.disclosure().version())
                .param("now", Timestamp.from(unit.createdAt()))
                .update();
        insertDisclosure(workspaceId, unit.id(), unit.disclosure(), unit.createdAt());
    }

    /** Writes the unit's fields, and its disclosure when it is a new version. False when there is no such unit. */
    public boolean update(long workspaceId, SignUpUnit unit, boolean newDisclosure) {
        boolean updated = jdbc.sql(UPDATE_UNIT)
                        .param("workspaceId", workspaceId)
                        .param("id", unit.id())
                        .param("name", unit.name())
                        .param("language", unit.language())
                        .param("country", unit.country())
                        .param("singleOptIn", unit.singleOptInAllowed())
                        .param("version", unit.disclosure().version())
                        .param("now", Timestamp.from(unit.updatedAt()))
                        .update()
                == 1;
        if (updated && newDisclosure) {
            insertDisclosure(workspaceId, unit.id(), unit.disclosure(), unit.updatedAt());
        }
        return updated;
    }

    public boolean delete(long workspaceId, String id, Instant now) {
        return jdbc.sql(DELETE_UNIT)
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** The unit as stored, its row locked until the transaction ends: the start of an atomic change. */
    public Optional<SignUpUnit> lock(long workspaceId, String id) {
        // the lock first, then a read that sees what the transaction it waited for committed (a lock taken on the join
        // would compare the new version with the old disclosure row, and find nothing)
        boolean exists = jdbc.sql("select 1 from sign_up_units where workspace_id = :workspaceId and id = :id"
                        + " and deleted_at is null for update")
                .param("workspaceId", workspaceId)
                .param("id", id)
                .query(Integer.class)
                .optional()
                .isPresent();
        return !exists
                ? Optional.empty()
                : jdbc.sql(SELECT + " and u.id = :id")
                        .param("workspaceId", workspaceId)
                        .param("id", id)
                        .query(JdbcSignUpUnits::map)
                        .optional();
    }

    public List<SignUpUnit> findAll(long workspaceId) {
        return jdbc.sql(SELECT + " order by u.created_at, u.id")
                .param("workspaceId", workspaceId)
                .query(JdbcSignUpUnits::map)
                .list();
    }

    public List<Disclosure> disclosures(long workspaceId, String unitId) {
        return jdbc.sql(SELECT_DISCLOSURES)
                .param("workspaceId", workspaceId)
                .param("unitId", unitId)
                .query((rs, row) -> new Disclosure(rs.getInt("version"), rs.getString("text"), rs.getString("hash")))
                .list();
    }

    private void insertDisclosure(long workspaceId, String unitId, Disclosure disclosure, Instant now) {
        jdbc.sql(INSERT_DISCLOSURE)
                .param("workspaceId", workspaceId)
                .param("unitId", unitId)
                .param("version", disclosure.version())
                .param("text", disclosure.text())
                .param("hash", disclosure.hash())
                .param("now", Timestamp.from(now))
                .update();
    }

    private static SignUpUnit map(ResultSet rs, int row) throws SQLException {
        return new SignUpUnit(
                rs.getString("id"),
                rs.getString("name"),
                SignUpUnit.UnitChannel.valueOf(rs.getString("channel")),
                SignUpUnit.SubscriptionType.valueOf(rs.getString("subscription_type")),
                rs.getString("language"),
                rs.getString("country"),
                rs.getBoolean("single_opt_in_allowed"),
                new Disclosure(rs.getInt("version"), rs.getString("text"), rs.getString("hash")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
