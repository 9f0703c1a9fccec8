create table subscriptions (
    workspace_id    bigint      not null,
    contact_id      bigint      not null,
    channel         text        not null,
    address         text        not null,
    topic_key       text        not null,
    status          text        not null check (status in ('SUBSCRIBED', 'PENDING', 'UNSUBSCRIBED', 'SUSPENDED')),
    suspended_until timestamptz,
    occurred_at     timestamptz not null,
    source          text        not null,
    updated_at      timestamptz not null,
    primary key (workspace_id, contact_id, channel, address, topic_key),
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id),
    foreign key (workspace_id, topic_key) references topics (workspace_id, key)
);
-- eligibility is asked by address
create index subscription_by_address_idx on subscriptions (workspace_id, channel, address, topic_key);

create table consent_events (
    workspace_id     bigint      not null,
    contact_id       bigint      not null,
    seq              bigint      not null,
    channel          text        not null,
    address          text        not null,
    topic_key        text        not null,
    action           text        not null,
    outcome          text        not null,
    reject_reason    text,
    from_status      text,
    to_status        text,
    suspended_until  timestamptz,
    occurred_at      timestamptz not null,
    recorded_at      timestamptz not null,
    source           text        not null,
    reason           text,
    campaign_id      text,
    communication_id text,
    sign_up_unit     text,
    ip               text,
    user_agent       text,
    api_key_id       text,
    request_id       text,
    details          jsonb       not null default '{}',
    prev_hash        bytea       not null,
    hash             bytea       not null,
    primary key (workspace_id, contact_id, seq),
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id)
);

-- The ledger is insert-only: no role may rewrite history, not even the application's own.
create function consent_events_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'consent_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger consent_events_append_only
    before update or delete on consent_events
    for each row execute function consent_events_refuse_change();
create trigger consent_events_no_truncate
    before truncate on consent_events
    for each statement execute function consent_events_refuse_change();

create table outbox (
    workspace_id bigint      not null,
    id           bigint generated always as identity,
    contact_id   bigint      not null,
    event_type   text        not null,
    payload      jsonb       not null,
    created_at   timestamptz not null,
    published_at timestamptz,
    primary key (workspace_id, id)
);
create index outbox_unpublished_idx on outbox (id) where published_at is null;

create table suppressions (
    workspace_id bigint      not null references workspaces (id),
    channel      text        not null,
    address      text        not null,
    reason       text        not null check (reason in ('BOUNCE', 'COMPLAINT', 'MANUAL', 'KEYWORD', 'LEGAL_HOLD')),
    note         text,
    created_at   timestamptz not null,
    primary key (workspace_id, channel, address)
);
