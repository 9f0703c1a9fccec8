-- Email: an email's subject and HTML body beside its plain text (body), and the topic it is about, from which its
-- signed links (confirm, one-click unsubscribe) are minted when it is sent: links are capabilities, never stored.
alter table messages add column topic text;
alter table messages add column subject text;
alter table messages add column html_body text;

-- Email double opt-in: one row per (contact, topic, address) whose email subscription was left PENDING by an opt-in
-- request, written in that request's transaction. last_queued_at limits re-sent confirmation requests per contact and
-- topic; due_at is when the expiry loop next looks at the row (the pending opt-in's lapse, or a node's claim on it).
create table email_confirmations (
    workspace_id   bigint      not null references workspaces (id),
    contact_id     bigint      not null,
    topic_key      text        not null,
    address        text        not null,
    last_queued_at timestamptz,
    due_at         timestamptz not null,
    primary key (workspace_id, contact_id, topic_key, address)
);
create index email_confirmation_due_idx on email_confirmations (due_at);

-- Email subscriptions pending before this migration queued no email, and nothing would ever expire them: the loop
-- looks at each at once and expires those older than optledger.email.confirmation-days.
insert into email_confirmations (workspace_id, contact_id, topic_key, address, last_queued_at, due_at)
select workspace_id, contact_id, topic_key, address, null, updated_at
  from subscriptions
 where channel = 'EMAIL' and status = 'PENDING' and not deleted;
