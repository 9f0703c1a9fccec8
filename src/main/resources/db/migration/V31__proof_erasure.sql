-- Erasure (docs/erasure.md): a contact's personal data removed everywhere, a keyed-hash tombstone per address, and the
-- ledgers kept verifiable.

alter table contacts add column erased_at timestamptz;

-- Erased workspace ledger events (a suppression of an erased address, an identifier detached from the contact) lose
-- their subject and free text; like an erased form 1 consent event, their stored hash stands.
alter table workspace_events add column erased_at timestamptz;
alter table workspace_events alter column subject drop not null;

-- The key of the tombstones' keyed hashes, one per workspace.
create table erasure_keys (
    workspace_id bigint      primary key references workspaces (id),
    key          bytea       not null check (length(key) = 32),
    created_at   timestamptz not null default now()
);

-- An erased address, as HMAC-SHA256(workspace key, "<CHANNEL>:<normalised address>"): not to be re-added to marketing
-- silently. Read as a suppression (reason ERASED) of the address that hashes to it.
create table erased_addresses (
    workspace_id bigint      not null references workspaces (id),
    channel      text        not null,
    digest       bytea       not null,
    erased_at    timestamptz not null,
    primary key (workspace_id, channel, digest)
);

-- The ledgers stay append-only for every role, the application's included, except for one change: the erasure's,
-- made by erase_ledger_personal_data below. That function runs as its owner (the schema's owner, who migrates), and
-- the triggers let an UPDATE through only when the current user is the table's owner, the erasure has said it is
-- erasing, and the update does nothing but null the personal columns and date the erasure. The application's role is
-- never the current user in that case: it can call the function, and nothing else gets through.
create function ledger_erasing(tab regclass) returns boolean language sql stable as $$
    select coalesce(current_setting('optledger.erasing', true), '') = 'on'
       and current_user = (select pg_get_userbyid(relowner) from pg_class where oid = tab)
$$;

create function consent_events_refuse_change_but_erasure() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and ledger_erasing(tg_relid::regclass) and old.erased_at is null
       and new.erased_at is not null
       and new.address is null and new.reason is null and new.ip is null and new.user_agent is null
       and new.details = '{}'::jsonb
       and (new.workspace_id, new.contact_id, new.seq, new.channel, new.topic_key, new.action, new.outcome,
            new.reject_reason, new.from_status, new.to_status, new.suspended_until, new.occurred_at, new.recorded_at,
            new.source, new.campaign_id, new.communication_id, new.sign_up_unit, new.api_key_id, new.request_id,
            new.prev_hash, new.hash, new.form, new.commitments)
           is not distinct from
           (old.workspace_id, old.contact_id, old.seq, old.channel, old.topic_key, old.action, old.outcome,
            old.reject_reason, old.from_status, old.to_status, old.suspended_until, old.occurred_at, old.recorded_at,
            old.source, old.campaign_id, old.communication_id, old.sign_up_unit, old.api_key_id, old.request_id,
            old.prev_hash, old.hash, old.form, old.commitments) then
        return new;
    end if;
    raise exception 'consent_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
drop trigger consent_events_append_only on consent_events;
create trigger consent_events_append_only
    before update or delete on consent_events
    for each row execute function consent_events_refuse_change_but_erasure();

create function workspace_events_refuse_change_but_erasure() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and ledger_erasing(tg_relid::regclass) and old.erased_at is null
       and new.erased_at is not null
       and new.subject is null and new.before is null and new.after is null and new.reason is null
       and new.ip is null and new.user_agent is null
       and (new.workspace_id, new.seq, new.kind, new.recorded_at, new.source, new.api_key_id, new.request_id,
            new.prev_hash, new.hash)
           is not distinct from
           (old.workspace_id, old.seq, old.kind, old.recorded_at, old.source, old.api_key_id, old.request_id,
            old.prev_hash, old.hash) then
        return new;
    end if;
    raise exception 'workspace_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
drop trigger workspace_events_append_only on workspace_events;
create trigger workspace_events_append_only
    before update or delete on workspace_events
    for each row execute function workspace_events_refuse_change_but_erasure();

-- Erases a contact's personal data from both ledgers, and nothing else: every event of the contact, and the workspace
-- events about the contact (an identifier detached from it) or about one of its addresses (a suppression). The
-- addresses are read here from the contact's own ledger, subscriptions and identifiers, never taken from the caller,
-- so the function cannot be pointed at anyone else's events. Answers how many events it erased.
create function erase_ledger_personal_data(p_workspace bigint, p_contact bigint) returns integer
    language plpgsql security definer set search_path = public, pg_temp as $$
declare
    erased integer;
    scrubbed integer;
    addresses text[];
begin
    -- callable by whoever logged in with the right to change contacts (the application's role), nobody else
    if not has_table_privilege(session_user, 'contacts', 'UPDATE') then
        raise exception 'erasing needs the right to update contacts' using errcode = 'insufficient_privilege';
    end if;
    select coalesce(array_agg(distinct a), '{}') into addresses from (
        select channel || ':' || address as a from consent_events
         where workspace_id = p_workspace and contact_id = p_contact and address is not null and channel is not null
        union
        select channel || ':' || address from subscriptions
         where workspace_id = p_workspace and contact_id = p_contact
        union
        select c || ':' || i.value from identifiers i
          cross join lateral unnest(case i.name when 'email' then array['EMAIL']
                                                when 'phone' then array['SMS', 'WHATSAPP'] end) as c
         where i.workspace_id = p_workspace and i.contact_id = p_contact) as held;
    perform set_config('optledger.erasing', 'on', true);
    update consent_events
       set address = null, reason = null, ip = null, user_agent = null, details = '{}', erased_at = now()
     where workspace_id = p_workspace and contact_id = p_contact and erased_at is null;
    get diagnostics erased = row_count;
    update workspace_events
       set subject = null, before = null, after = null, reason = null, ip = null, user_agent = null,
           erased_at = now()
     where workspace_id = p_workspace and erased_at is null
       and (subject = 'contact:' || p_contact or subject = any(addresses));
    get diagnostics scrubbed = row_count;
    perform set_config('optledger.erasing', 'off', true);
    return erased + scrubbed;
end
$$;
