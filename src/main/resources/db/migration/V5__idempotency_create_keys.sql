create table idempotency_keys (
    workspace_id    bigint      not null references workspaces (id),
    key             text        not null,
    request_hash    bytea       not null,
    -- null while the first request is in flight
    response_status integer,
    response_body   text,
    created_at      timestamptz not null,
    completed_at    timestamptz,
    primary key (workspace_id, key)
);
create index idempotency_key_by_created_idx on idempotency_keys (created_at);
