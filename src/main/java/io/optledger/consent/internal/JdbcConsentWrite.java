package io.optledger.consent.internal;

import io.optledger.consent.Subscription;
import io.optledger.consent.internal.JdbcLedger.ChainHead;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.platform.PositionalStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The round trip a consent batch ends with: it writes all the batch decided (ledger, chain heads, state, outbox, cache
 * invalidations) as a single statement over arrays. The contacts were locked and read by {@link JdbcConsentBatch}.
 */
@Repository
public class JdbcConsentWrite {

    // Data-modifying CTEs all run, whatever the final select reads. The cache_invalidations row commits with the
    // change, and is how other nodes hear of it (see Invalidations).
    private static final PositionalStatement WRITE = PositionalStatement.onGenericPlans("""
            with events as (
                insert into consent_events (workspace_id, contact_id, seq, channel, address, topic_key, action,
                    outcome, reject_reason, from_status, to_status, suspended_until, occurred_at, recorded_at, source,
                    reason, campaign_id, communication_id, sign_up_unit, ip, user_agent, api_key_id, request_id,
                    details, prev_hash, hash, form, commitments)
                select :workspaceId, e.contact_id, e.seq, e.channel, e.address, e.topic_key, e.action, e.outcome,
                    e.reject_reason, e.from_status, e.to_status, e.suspended_until, e.occurred_at, :recordedAt,
                    e.source, e.reason, e.campaign_id, e.communication_id, e.sign_up_unit, e.ip, e.user_agent,
                    e.api_key_id, e.request_id, e.details, decode(e.prev_hash, 'hex'), decode(e.hash, 'hex'),
                    e.form, e.commitments
                from unnest(:eContact::bigint[], :eSeq::bigint[], :eChannel::text[], :eAddress::text[],
                    :eTopic::text[], :eAction::text[], :eOutcome::text[], :eReject::text[], :eFrom::text[],
                    :eTo::text[], :eUntil::timestamptz[], :eOccurred::timestamptz[], :eSource::text[],
                    :eReason::text[], :eCampaign::text[], :eCommunication::text[], :eSignUp::text[],
                    :eDetails::jsonb[], :ePrev::text[], :eHash::text[], :eIp::text[], :eUserAgent::text[],
                    :eApiKey::text[], :eRequestId::text[], :eForm::int[], :eCommitments::jsonb[])
                    as e(contact_id, seq, channel, address, topic_key, action, outcome, reject_reason, from_status,
                        to_status, suspended_until, occurred_at, source, reason, campaign_id, communication_id,
                        sign_up_unit, details, prev_hash, hash, ip, user_agent, api_key_id, request_id, form,
                        commitments)
            ),
            heads as (
                update contacts c set ledger_seq = h.seq, ledger_hash = decode(h.hash, 'hex')
                from unnest(:hContact::bigint[], :hSeq::bigint[], :hHash::text[]) as h(contact_id, seq, hash)
                where c.workspace_id = :workspaceId and c.id = h.contact_id
            ),
            state as (
                insert into subscriptions (workspace_id, contact_id, channel, address, topic_key, status,
                    suspended_until, occurred_at, source, updated_at, deleted, properties)
                select :workspaceId, s.contact_id, s.channel, s.address, s.topic_key, s.status, s.suspended_until,
                    s.occurred_at, s.source, s.updated_at, s.deleted, s.properties
                from unnest(:sContact::bigint[], :sChannel::text[], :sAddress::text[], :sTopic::text[],
                    :sStatus::text[], :sUntil::timestamptz[], :sOccurred::timestamptz[], :sSource::text[],
                    :sUpdated::timestamptz[], :sDeleted::boolean[], :sProperties::jsonb[])
                    as s(contact_id, channel, address, topic_key, status, suspended_until, occurred_at, source,
                        updated_at, deleted, properties)
                on conflict (workspace_id, contact_id, channel, address, topic_key) do update
                set status = excluded.status, suspended_until = excluded.suspended_until,
                    occurred_at = excluded.occurred_at, source = excluded.source, updated_at = excluded.updated_at,
                    deleted = excluded.deleted, properties = excluded.properties
            ),
            outbox as (
                insert into outbox (workspace_id, contact_id, event_type, payload, created_at)
                select :workspaceId, o.contact_id, :eventType, o.payload, :recordedAt
                from unnest(:oContact::bigint[], :oPayload::jsonb[]) as o(contact_id, payload)
            ),
            invalidated as (
                insert into cache_invalidations (workspace_id, entries)
                select :workspaceId, :invalidations::text[] where cardinality(:invalidations::text[]) > 0
            )
            select 1
            """);

    private final JdbcTemplate template;
    private final JsonMapper json;

    JdbcConsentWrite(JdbcTemplate template, JsonMapper json) {
        this.template = template;
        this.json = json;
    }

    /**
     * Everything a batch writes. {@code changes} are outbox payloads by contact; {@code invalidations} the entries of
     * its {@code cache_invalidations} row.
     */
    public record Writes(
            List<ConsentEvent> events,
            Map<Long, ChainHead> heads,
            Collection<Subscription> state,
            List<Map.Entry<Long, Map<String, Object>>> changes,
            String eventType,
            String[] invalidations) {}

    /**
     * Writes the batch in one statement; all events share its time, each carries its own request's context (the batches
     * of a group commit write together).
     */
    public void write(long workspaceId, Writes writes, Instant recordedAt) {
        List<ConsentEvent> e = writes.events();
        List<Map.Entry<Long, ChainHead>> h = new ArrayList<>(writes.heads().entrySet());
        List<Subscription> s = new ArrayList<>(writes.state());
        List<Map.Entry<Long, Map<String, Object>>> o = writes.changes();
        PositionalStatement.Values values = WRITE.values()
                .set("workspaceId", workspaceId)
                .set("recordedAt", java.sql.Timestamp.from(recordedAt))
                .set("eContact", column(e, ConsentEvent::contactId, Long[]::new))
                .set("eSeq", column(e, ConsentEvent::seq, Long[]::new))
                .set("eChannel", column(e, x -> name(x.channel()), String[]::new))
                .set("eAddress", column(e, ConsentEvent::address, String[]::new))
                .set("eTopic", column(e, ConsentEvent::topic, String[]::new))
                .set("eAction", column(e, x -> x.action().name(), String[]::new))
                .set("eOutcome", column(e, x -> x.outcome().name(), String[]::new))
                .set("eReject", column(e, x -> name(x.rejectReason()), String[]::new))
                .set("eFrom", column(e, x -> name(x.from()), String[]::new))
                .set("eTo", column(e, x -> name(x.to()), String[]::new))
                .set("eUntil", column(e, x -> text(x.suspendedUntil()), String[]::new))
                .set("eOccurred", column(e, x -> text(x.occurredAt()), String[]::new))
                .set("eSource", column(e, ConsentEvent::source, String[]::new))
                .set("eReason", column(e, ConsentEvent::reason, String[]::new))
                .set("eCampaign", column(e, ConsentEvent::campaignId, String[]::new))
                .set("eCommunication", column(e, ConsentEvent::communicationId, String[]::new))
                .set("eSignUp", column(e, ConsentEvent::signUpUnit, String[]::new))
                .set("eDetails", column(e, x -> json(x.details()), String[]::new))
                .set("ePrev", column(e, ConsentEvent::prevHash, String[]::new))
                .set("eHash", column(e, ConsentEvent::hash, String[]::new))
                .set("eIp", column(e, ConsentEvent::ip, String[]::new))
                .set("eUserAgent", column(e, ConsentEvent::userAgent, String[]::new))
                .set("eApiKey", column(e, ConsentEvent::apiKeyId, String[]::new))
                .set("eRequestId", column(e, ConsentEvent::requestId, String[]::new))
                .set("eForm", column(e, ConsentEvent::form, Integer[]::new))
                .set("eCommitments", column(e, x -> json(x.commitments()), String[]::new))
                .set("hContact", column(h, Map.Entry::getKey, Long[]::new))
                .set("hSeq", column(h, x -> x.getValue().seq(), Long[]::new))
                .set("hHash", column(h, x -> x.getValue().hash(), String[]::new))
                .set("sContact", column(s, Subscription::contactId, Long[]::new))
                .set("sChannel", column(s, x -> x.channel().name(), String[]::new))
                .set("sAddress", column(s, Subscription::address, String[]::new))
                .set("sTopic", column(s, Subscription::topic, String[]::new))
                .set("sStatus", column(s, x -> x.status().name(), String[]::new))
                .set("sUntil", column(s, x -> text(x.suspendedUntil()), String[]::new))
                .set("sOccurred", column(s, x -> text(x.occurredAt()), String[]::new))
                .set("sSource", column(s, Subscription::source, String[]::new))
                .set("sUpdated", column(s, x -> text(x.updatedAt()), String[]::new))
                .set("sDeleted", column(s, Subscription::deleted, Boolean[]::new))
                .set("sProperties", column(s, x -> json(x.properties()), String[]::new))
                .set("oContact", column(o, Map.Entry::getKey, Long[]::new))
                .set("oPayload", column(o, x -> json(x.getValue()), String[]::new))
                .set("eventType", writes.eventType())
                .set("invalidations", writes.invalidations());
        values.execute(template, statement -> null);
    }

    /** One value of each row, in row order, as an array parameter (a loop: the write builds some forty per batch). */
    private static <T, C> C[] column(List<T> rows, Function<T, C> value, java.util.function.IntFunction<C[]> array) {
        C[] column = array.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        return column;
    }

    /** Most events have no details and most subscriptions no properties: no serialisation for those. */
    private String json(Map<String, ?> map) {
        return map.isEmpty() ? "{}" : json.writeValueAsString(map);
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static @Nullable String name(@Nullable Enum<?> value) {
        return value == null ? null : value.name();
    }
}
