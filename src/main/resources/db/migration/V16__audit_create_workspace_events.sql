-- The workspace ledger: suppressions and topic policy changes, one hash chain per workspace (docs/ledger.md).
create table workspace_events (
    workspace_id bigint      not null references workspaces (id),
    seq          bigint      not null,
    kind         text        not null,
    subject      text        not null,
    before       text,
    after        text,
    recorded_at  timestamptz not null,
    source       text        not null,
    reason       text,
    api_key_id   text,
    request_id   text,
    ip           text,
    user_agent   text,
    prev_hash    text        not null,
    hash         text        not null,
    primary key (workspace_id, seq)
);

-- The chain head, locked by every append so that a workspace's chain stays linear under any concurrency.
create table workspace_ledger_heads (
    workspace_id bigint primary key references workspaces (id),
    seq          bigint not null,
    hash         text   not null
);

create function workspace_events_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'workspace_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger workspace_events_append_only
    before update or delete on workspace_events
    for each row execute function workspace_events_refuse_change();
create trigger workspace_events_no_truncate
    before truncate on workspace_events
    for each statement execute function workspace_events_refuse_change();
