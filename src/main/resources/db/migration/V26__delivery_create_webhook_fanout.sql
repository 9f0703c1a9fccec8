-- Where the webhook fan-out stands in each workspace's outbox, created with the workspace's first endpoint: every
-- outbox row of the workspace up to last_outbox_id has its deliveries. Ids are taken before commit, so a row can
-- commit after one with a higher id; the fan-out therefore reads up to target_id (the highest id it saw) only once
-- every transaction that was running when it saw it has ended: every transaction id below target_xmax, that
-- snapshot's xmax. Writers of the outbox hold a transaction id before they insert (the consent batch has locked its
-- contacts by then), so no row can appear below target_id afterwards. Each row is locked by the node fanning it out
-- (SKIP LOCKED), for one transaction.
create table webhook_fanout (
    workspace_id   bigint      not null references workspaces (id),
    last_outbox_id bigint      not null,
    target_id      bigint,
    target_xmax    xid8,
    updated_at     timestamptz not null,
    primary key (workspace_id)
);
