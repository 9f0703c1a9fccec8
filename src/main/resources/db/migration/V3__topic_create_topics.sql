create table topics (
    workspace_id   bigint      not null references workspaces (id),
    key            text        not null,
    name           text        not null,
    kind           text        not null check (kind in ('TRANSACTIONAL', 'MARKETING')),
    default_opt_in boolean     not null,
    mandatory      boolean     not null default false,
    -- channels on which an opt-in request waits for confirmation (PENDING)
    double_opt_in  text[]      not null default '{}',
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    primary key (workspace_id, key)
);
