-- A message can be cancelled before it is sent: by a STOP to its recipient, or by the worker when the recipient is
-- suppressed at send time.
alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
    check (status in ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'CANCELLED'));

-- What an SMS opt-out keyword changed, so that START or UNSTOP restores exactly that and nothing else: one row per
-- subscription the STOP moved, with the state it had before. A later STOP keeps the first row (the state before the
-- first of several STOPs is the one to restore); START deletes the number's rows.
create table keyword_stops (
    workspace_id    bigint      not null references workspaces (id),
    address         text        not null,
    contact_id      bigint      not null,
    topic_key       text        not null,
    from_status     text,
    suspended_until timestamptz,
    stopped_at      timestamptz not null,
    primary key (workspace_id, address, contact_id, topic_key)
);
