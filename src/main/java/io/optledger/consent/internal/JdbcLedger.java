package io.optledger.consent.internal;

import static io.optledger.consent.internal.JdbcSubscriptions.instant;
import static io.optledger.consent.internal.JdbcSubscriptions.timestamp;

import io.optledger.consent.Action;
import io.optledger.consent.RejectReason;
import io.optledger.consent.Status;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.contact.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The ledger table and each contact's chain head, in PostgreSQL. */
@Repository
public class JdbcLedger {

    // sorted, so that batches touching the same contacts lock them in the same order and never deadlock
    private static final String LOCK_HEADS = """
            select id, ledger_seq, ledger_hash from contacts
            where workspace_id = :workspaceId and id = any(:ids::bigint[])
            order by id
            for update
            """;
    private static final String UPDATE_HEAD = """
            update contacts set ledger_seq = :seq, ledger_hash = :hash
            where workspace_id = :workspaceId and id = :contactId
            """;
    private static final String INSERT_EVENT = """
            insert into consent_events (workspace_id, contact_id, seq, channel, address, topic_key, action, outcome,
                reject_reason, from_status, to_status, suspended_until, occurred_at, recorded_at, source, reason,
                campaign_id, communication_id, sign_up_unit, ip, user_agent, api_key_id, request_id, details,
                prev_hash, hash)
            values (:workspaceId, :contactId, :seq, :channel, :address, :topic, :action, :outcome,
                :rejectReason, :from, :to, :suspendedUntil, :occurredAt, :recordedAt, :source, :reason,
                :campaignId, :communicationId, :signUpUnit, :ip, :userAgent, :apiKeyId, :requestId, :details::jsonb,
                :prevHash, :hash)
            """;
    private static final String SELECT_EVENTS = """
            select workspace_id, contact_id, seq, channel, address, topic_key, action, outcome, reject_reason,
                from_status, to_status, suspended_until, occurred_at, recorded_at, source, reason, campaign_id,
                communication_id, sign_up_unit, ip, user_agent, api_key_id, request_id, details::text as details,
                prev_hash, hash
            from consent_events
            where workspace_id = :workspaceId and contact_id = :contactId and seq > :afterSeq
            order by seq
            limit :limit
            """;
    private static final String SELECT_HEAD =
            "select ledger_seq, ledger_hash from contacts where workspace_id = :workspaceId and id = :contactId";

    private static final HexFormat HEX = HexFormat.of();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final JsonMapper json;

    JdbcLedger(JdbcClient jdbc, NamedParameterJdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    /** A contact's chain head: its last event's seq and hash (seq 0 and the genesis hash before its first). */
    public record ChainHead(long seq, String hash) {}

    /** Locks the contacts for the rest of the transaction and answers their chain heads. */
    public Map<Long, ChainHead> lockHeads(long workspaceId, Collection<Long> contactIds) {
        Map<Long, ChainHead> heads = new HashMap<>();
        jdbc.sql(LOCK_HEADS)
                .param("workspaceId", workspaceId)
                .param("ids", contactIds.toArray(Long[]::new))
                .query(rs -> {
                    heads.put(rs.getLong("id"), head(rs));
                });
        return heads;
    }

    public ChainHead head(long workspaceId, long contactId) {
        return jdbc.sql(SELECT_HEAD)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query((rs, row) -> head(rs))
                .single();
    }

    public void append(long workspaceId, List<ConsentEvent> events, Map<Long, ChainHead> newHeads) {
        if (events.isEmpty()) {
            return;
        }
        batch.batchUpdate(INSERT_EVENT, events.stream().map(this::row).toArray(SqlParameterSource[]::new));
        batch.batchUpdate(
                UPDATE_HEAD,
                newHeads.entrySet().stream()
                        .map(head -> new MapSqlParameterSource()
                                .addValue("workspaceId", workspaceId)
                                .addValue("contactId", head.getKey())
                                .addValue("seq", head.getValue().seq())
                                .addValue("hash", HEX.parseHex(head.getValue().hash())))
                        .toArray(SqlParameterSource[]::new));
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

    private SqlParameterSource row(ConsentEvent e) {
        return new MapSqlParameterSource()
                .addValue("workspaceId", e.workspaceId())
                .addValue("contactId", e.contactId())
                .addValue("seq", e.seq())
                .addValue("channel", e.channel().name())
                .addValue("address", e.address())
                .addValue("topic", e.topic())
                .addValue("action", e.action().name())
                .addValue("outcome", e.outcome().name())
                .addValue("rejectReason", name(e.rejectReason()))
                .addValue("from", name(e.from()))
                .addValue("to", name(e.to()))
                .addValue("suspendedUntil", timestamp(e.suspendedUntil()))
                .addValue("occurredAt", timestamp(e.occurredAt()))
                .addValue("recordedAt", timestamp(e.recordedAt()))
                .addValue("source", e.source())
                .addValue("reason", e.reason())
                .addValue("campaignId", e.campaignId())
                .addValue("communicationId", e.communicationId())
                .addValue("signUpUnit", e.signUpUnit())
                .addValue("ip", e.ip())
                .addValue("userAgent", e.userAgent())
                .addValue("apiKeyId", e.apiKeyId())
                .addValue("requestId", e.requestId())
                .addValue("details", json.writeValueAsString(e.details()))
                .addValue("prevHash", HEX.parseHex(e.prevHash()))
                .addValue("hash", HEX.parseHex(e.hash()));
    }

    private ConsentEvent map(ResultSet rs, int row) throws SQLException {
        return new ConsentEvent(
                rs.getLong("workspace_id"),
                rs.getLong("contact_id"),
                rs.getLong("seq"),
                Channel.valueOf(rs.getString("channel")),
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
                HEX.formatHex(rs.getBytes("hash")));
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
