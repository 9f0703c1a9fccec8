package io.optledger.proof.internal;

import io.optledger.contact.Channel;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The rows erasure removes or clears outside the ledgers, table by table (docs/erasure.md keeps the same list; the
 * erasure test searches every column of every table, so a table left out shows).
 */
@Repository
public class JdbcErasure {

    private static final String LOCK = """
            select erased_at, ledger_seq from contacts where workspace_id = :workspaceId and id = :contactId for update
            """;
    private static final String COUNT_ERASED = """
            select count(*) from consent_events
            where workspace_id = :workspaceId and contact_id = :contactId and erased_at is not null
            """;
    // the addresses that are the contact's now: its email and phone, and its subscriptions that are not a former
    // owner's (DETACHED); minus those another contact holds too, which are not only this person's to erase
    private static final String HELD = """
            with mine as (
                select c.channel, i.value as address from identifiers i
                  cross join lateral unnest(case i.name when 'email' then array['EMAIL']
                                                        when 'phone' then array['SMS', 'WHATSAPP'] end) as c(channel)
                 where i.workspace_id = :workspaceId and i.contact_id = :contactId
                union
                select channel, address from subscriptions
                 where workspace_id = :workspaceId and contact_id = :contactId and status <> 'DETACHED'
            )
            select m.channel, m.address from mine m
            where not exists (select 1 from subscriptions s
                               where s.workspace_id = :workspaceId and s.contact_id <> :contactId
                                 and s.channel = m.channel and s.address = m.address and s.status <> 'DETACHED')
              and not exists (select 1 from identifiers i
                               where i.workspace_id = :workspaceId and i.contact_id <> :contactId
                                 and i.value = m.address)
            order by 1, 2
            """;
    private static final List<String> CLEAR = List.of(
            "delete from outbox where workspace_id = :workspaceId and contact_id = :contactId",
            // workspace events on the outbox (a suppression of a held address) name the address, not the contact
            """
            delete from outbox where workspace_id = :workspaceId and contact_id is null
               and payload ->> 'subject' = any(:subjects::text[])
            """,
            """
            delete from webhook_deliveries where workspace_id = :workspaceId and contact_id is null
               and exists (select 1 from unnest(:needles::text[]) as n where strpos(body, n) > 0)
            """,
            // webhook_attempts go with their deliveries (on delete cascade)
            "delete from webhook_deliveries where workspace_id = :workspaceId and contact_id = :contactId",
            "delete from webhook_lanes where workspace_id = :workspaceId and contact_id = :contactId",
            "delete from email_confirmations where workspace_id = :workspaceId and contact_id = :contactId",
            """
            delete from messages where workspace_id = :workspaceId
               and (contact_id = :contactId
                    or (channel, recipient) in (select * from unnest(:channels::text[], :addresses::text[])))
            """,
            """
            delete from keyword_stops where workspace_id = :workspaceId
               and (contact_id = :contactId or address = any(:addresses::text[]))
            """,
            """
            delete from suppressions where workspace_id = :workspaceId
               and (channel, address) in (select * from unnest(:channels::text[], :addresses::text[]))
            """,
            // a stored answer that names the contact or one of its addresses (phones also as dialects print them,
            // without the plus); the request itself is kept only as a hash
            """
            delete from idempotency_keys where workspace_id = :workspaceId
               and exists (select 1 from unnest(:needles::text[]) as n where strpos(response_body, n) > 0)
            """);
    private static final String FORGET_CONTACT = """
            update contacts set attributes = '{}', erased_at = :now, updated_at = :now
            where workspace_id = :workspaceId and id = :contactId
            """;
    private static final String FORGET_IDENTIFIERS =
            "delete from identifiers where workspace_id = :workspaceId and contact_id = :contactId";

    private final JdbcClient jdbc;

    JdbcErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The contact, locked for its erasure: when it was erased (null if not yet) and its chain's length. */
    public record Locked(@Nullable Instant erasedAt, long ledgerSeq) {}

    /** A channel address of the contact's. */
    public record Held(Channel channel, String address) {}

    public Optional<Locked> lock(long workspaceId, long contactId) {
        return jdbc.sql(LOCK)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query((rs, n) -> new Locked(
                        rs.getTimestamp("erased_at") == null
                                ? null
                                : rs.getTimestamp("erased_at").toInstant(),
                        rs.getLong("ledger_seq")))
                .optional();
    }

    public int erasedEvents(long workspaceId, long contactId) {
        return jdbc.sql(COUNT_ERASED)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query(Integer.class)
                .single();
    }

    public List<Held> held(long workspaceId, long contactId) {
        return jdbc.sql(HELD)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .query((rs, n) -> new Held(Channel.valueOf(rs.getString("channel")), rs.getString("address")))
                .list();
    }

    /** Removes the contact's rows outside the ledgers (outbox, deliveries, messages, ...) and those at its addresses. */
    public void clear(long workspaceId, long contactId, List<Held> held) {
        Set<String> needles = new LinkedHashSet<>();
        needles.add(Long.toString(contactId));
        for (Held h : held) {
            needles.add(h.address());
            if (h.address().startsWith("+")) {
                needles.add(h.address().substring(1));
            }
        }
        List<String> channels = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        held.forEach(h -> {
            channels.add(h.channel().name());
            addresses.add(h.address());
        });
        for (String sql : CLEAR) {
            var statement = jdbc.sql(sql).param("workspaceId", workspaceId);
            if (sql.contains(":contactId")) {
                statement = statement.param("contactId", contactId);
            }
            if (sql.contains(":channels")) {
                statement = statement.param("channels", channels.toArray(String[]::new));
            }
            if (sql.contains(":addresses")) {
                statement = statement.param("addresses", addresses.toArray(String[]::new));
            }
            if (sql.contains(":subjects")) {
                statement = statement.param(
                        "subjects",
                        held.stream()
                                .map(h -> h.channel().name() + ":" + h.address())
                                .toArray(String[]::new));
            }
            if (sql.contains(":needles")) {
                statement = statement.param("needles", needles.toArray(String[]::new));
            }
            statement.update();
        }
    }

    /** The contact row stays (its chain head, its erasure time); its identifiers and attributes go. */
    public void forgetContact(long workspaceId, long contactId, Instant now) {
        jdbc.sql(FORGET_IDENTIFIERS)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .update();
        jdbc.sql(FORGET_CONTACT)
                .param("workspaceId", workspaceId)
                .param("contactId", contactId)
                .param("now", Timestamp.from(now))
                .update();
    }
}
