-- Webhooks (module delivery): endpoints a workspace registers, one delivery per event and endpoint, each attempt made,
-- and a lane per endpoint and contact that keeps a contact's events to an endpoint in order. None of it touches the
-- outbox's published_at, which is left to another publisher (Kafka): the webhooks' progress is all in these tables.

create table webhook_endpoints (
    workspace_id          bigint      not null references workspaces (id),
    id                    text        not null,
    url                   text        not null,
    description           text,
    enabled               boolean     not null,
    -- empty: every event type, topic, channel
    event_types           text[]      not null default '{}',
    topics                text[]      not null default '{}',
    channels              text[]      not null default '{}',
    -- whsec_<base64>: the HMAC key has to be at hand to sign, so it is kept as is (docs/webhooks.md, "Secrets")
    secret                text        not null,
    previous_secret       text,
    previous_secret_until timestamptz,
    -- the first failed attempt since the last success: failing for optledger.webhooks.disable-after disables
    failing_since         timestamptz,
    disabled_reason       text,
    disabled_at           timestamptz,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    -- deleted endpoints vanish from the API at once; their rows are removed by the pruner
    deleted_at            timestamptz,
    primary key (workspace_id, id)
);

-- No foreign key to the endpoint: a delivery's writes never wait on the endpoint row's lock, and the pruner removes a
-- deleted endpoint's deliveries before the endpoint.
create table webhook_deliveries (
    workspace_id    bigint      not null,
    -- the webhook-id header: random, stable across retries, the receiver's dedupe key
    id              text        not null,
    endpoint_id     text        not null,
    -- null for a test ping, which has no lane
    contact_id      bigint,
    -- the contact's ledger seq: the order of a lane
    seq             bigint,
    outbox_id       bigint,
    event_type      text        not null,
    body            text        not null,
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null,
    -- a delivery still failing at this time is given up (FAILED); a manual retry moves it
    retry_until     timestamptz not null,
    created_at      timestamptz not null,
    finished_at     timestamptz,
    last_status     int,
    last_error      text,
    primary key (workspace_id, id),
    unique (workspace_id, endpoint_id, outbox_id)
);
-- a lane's head: its pending delivery with the lowest seq; also the lag per endpoint
create index webhook_delivery_pending_idx on webhook_deliveries (workspace_id, endpoint_id, contact_id, seq)
    where status = 'PENDING';
-- GET /v1/webhooks/{id}/deliveries lists an endpoint's newest first
create index webhook_delivery_by_endpoint_idx on webhook_deliveries (workspace_id, endpoint_id, created_at desc, id);
-- the pruner's scan for finished deliveries past their retention
create index webhook_delivery_finished_idx on webhook_deliveries (finished_at) where status <> 'PENDING';

create table webhook_attempts (
    workspace_id bigint      not null,
    delivery_id  text        not null,
    id           bigint      generated always as identity,
    started_at   timestamptz not null,
    status_code  int,
    latency_ms   int         not null,
    error        text,
    -- the first 1 KiB of the answer's body
    response     text,
    primary key (workspace_id, delivery_id, id),
    foreign key (workspace_id, delivery_id) references webhook_deliveries (workspace_id, id) on delete cascade
);

-- One lane per endpoint and contact that has had a delivery: a worker claims the lane (SKIP LOCKED, a lease, and
-- claim as its fencing token) and delivers its deliveries one at a time in seq order, so a contact's next event waits
-- for the one before while other contacts' lanes go on. due_at is its head's next attempt, null when idle or paused.
create table webhook_lanes (
    workspace_id bigint      not null,
    endpoint_id  text        not null,
    contact_id   bigint      not null,
    due_at       timestamptz,
    lease_until  timestamptz,
    claim        bigint      not null default 0,
    primary key (workspace_id, endpoint_id, contact_id)
);
create index webhook_lane_due_idx on webhook_lanes (due_at) where due_at is not null;
