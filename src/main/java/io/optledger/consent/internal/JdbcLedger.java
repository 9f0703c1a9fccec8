package io.optledger.consent.internal;

import static io.optledger.consent.internal.JdbcSubscriptions.instant;

import io.optledger.consent.Action;
import io.optledger.consent.RejectReason;
import io.optledger.consent.Status;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.contact.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The ledger table and each contact's chain head, in PostgreSQL. */
@Repository
public class JdbcLedger {

    /** The columns {@link #map} reads. */
    static final String EVENT_COLUMNS = "workspace_id, contact_id, seq, channel, address, topic_key, action, outcome,"
            + " reject_reason, from_status, to_status, suspended_until, occurred_at, recorded_at, source, reason,"
            + " campaign_id, communication_id, sign_up_unit, ip, user_agent, api_key_id, request_id,"
            + " details::text as details, prev_hash, hash, form, commitments::text as commitments, erased_at";

    // sorted, so that batches touching the same contacts lock them in the same order and never deadlock
    private static final String SELECT_EVENTS = "select " + EVENT_COLUMNS + """
             from consent_events
            where workspace_id = :workspaceId and contact_id = :contactId and seq > :afterSeq
            order by seq
            limit :limit
            """;
    private static final String SELECT_EVENTS_BEFORE = "select " + EVENT_COLUMNS + """
             from consent_events
            where workspace_id = :workspaceId and contact_id = :contactId and seq < :beforeSeq
            order by seq desc
            limit :limit
            """;
    private static final String SELECT_HEAD =
            "select ledger_seq, ledger_hash from contacts where workspace_id = :workspaceId and id = :contactId";

    private static final String SELECT_KEY =
            "select key from contact_ledger_keys where workspace_id = :workspaceId and contact_id = :contactId";

    private static final String ERASE = "select erase_ledger_personal_data(:workspaceId, :contactId)";
    private static final String FORGET_KEY =
            "delete from contact_ledger_keys where workspace_id = :workspaceId and contact_id = :contactId";

    private static final HexFormat HEX = HexFormat.of();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    JdbcLedger(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A contact's chain head: its last event's seq and hash (seq 0 and the genesis hash before its first). */
    public record ChainHead(long seq, String hash) {}

    public ChainHead head(long workspaceId, long contactId) {
        return jdbc.sql(SELECT_HEAD)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query((rs, row) -> head(rs))
                .single();
    }

    public List<ConsentEvent> events(long workspaceId, long contactId, long afterSeq, int limit) {
        return jdbc.sql(SELECT_EVENTS)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("afterSeq", afterSeq)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Events before {@code beforeSeq}, newest first. */
    public List<ConsentEvent> eventsBefore(long workspaceId, long contactId, long beforeSeq, int limit) {
        return jdbc.sql(SELECT_EVENTS_BEFORE)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("beforeSeq", beforeSeq)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** The contact's commitment key: none before its first form 2 event, and none after its erasure. */
    public Optional<byte[]> commitmentKey(long workspaceId, long contactId) {
        return jdbc.sql(SELECT_KEY)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query(byte[].class)
                .optional();
    }

    /**
     * Nulls the personal fields of every event of the contact, and of the workspace events about it or its addresses,
     * through the one database function the append-only triggers let through (V31); answers the events erased.
     */
    public int erasePersonalData(long workspaceId, long contactId) {
        return jdbc.sql(ERASE)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query(Integer.class)
                .single();
    }

    /** Destroys the contact's commitment key: its commitments can no longer be opened, or tested by guessing. */
    public void forgetKey(long workspaceId, long contactId) {
        jdbc.sql(FORGET_KEY)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .update();
    }

    ConsentEvent map(ResultSet rs, int row) throws SQLException {
        return new ConsentEvent(
                rs.getLong("workspace_id"),
                rs.getLong("contact_id"),
                rs.getLong("seq"),
                parse(rs.getString("channel"), Channel::valueOf),
                rs.getString("address"),
                rs.getString("topic_key"),
                Action.valueOf(rs.getString("action")),
                EventOutcome.valueOf(rs.getString("outcome")),
                parse(rs.getString("reject_reason"), RejectReason::valueOf),
                parse(rs.getString("from_status"), Status::valueOf),
                parse(rs.getString("to_status"), Status::valueOf),
                instant(rs.getTimestamp("suspended_until")),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("source"),
                rs.getString("reason"),
                rs.getString("campaign_id"),
                rs.getString("communication_id"),
                rs.getString("sign_up_unit"),
                rs.getString("ip"),
                rs.getString("user_agent"),
                rs.getString("api_key_id"),
                rs.getString("request_id"),
                json.readValue(rs.getString("details"), DETAILS),
                HEX.formatHex(rs.getBytes("prev_hash")),
                HEX.formatHex(rs.getBytes("hash")),
                rs.getInt("form"),
                rs.getString("commitments") == null ? Map.of() : json.readValue(rs.getString("commitments"), DETAILS),
                instant(rs.getTimestamp("erased_at")));
    }

    private static ChainHead head(ResultSet rs) throws SQLException {
        byte[] hash = rs.getBytes("ledger_hash");
        return new ChainHead(rs.getLong("ledger_seq"), hash == null ? LedgerHash.GENESIS : HEX.formatHex(hash));
    }

    private static @Nullable String name(@Nullable Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static <T> @Nullable T parse(@Nullable String value, Function<String, T> parser) {
        return value == null ? null : parser.apply(value);
    }
}
