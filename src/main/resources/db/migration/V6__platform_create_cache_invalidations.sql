-- What committed transactions changed, for the node-local caches of every node. A row is written in the transaction
-- that makes the change, so it exists exactly when the change does; nodes read the rows their last read could not
-- yet see (by transaction id against that read's snapshot), so a late-committing transaction is never skipped.
create table cache_invalidations (
    workspace_id bigint      not null,
    id           bigint generated always as identity,
    tx           xid8        not null default pg_current_xact_id(),
    entries      text[]      not null,
    created_at   timestamptz not null default now(),
    primary key (workspace_id, id)
);
create index cache_invalidation_by_tx_idx on cache_invalidations (tx);
create index cache_invalidation_by_created_idx on cache_invalidations (created_at);
