-- Outbound messages: written in the transaction of the change that causes them, sent afterwards by a worker that
-- claims due rows (SKIP LOCKED, so nodes share the queue), retries with backoff, and gives up after a maximum.
create table messages (
    workspace_id    bigint      not null references workspaces (id),
    id              bigint      generated always as identity,
    contact_id      bigint,
    channel         text        not null,
    recipient       text        not null,
    template        text        not null,
    locale          text        not null,
    body            text        not null,
    status          text        not null check (status in ('QUEUED', 'SENDING', 'SENT', 'FAILED')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null,
    last_error      text,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    primary key (workspace_id, id)
);
create index message_due_idx on messages (next_attempt_at) where status in ('QUEUED', 'SENDING');
create index message_by_recipient_idx on messages (workspace_id, channel, recipient, id);
