create table workspaces (
    id             bigint generated always as identity primary key,
    name           text        not null,
    default_region text        not null,
    created_at     timestamptz not null
);

create table api_keys (
    workspace_id bigint      not null references workspaces (id),
    id           text        not null,
    name         text        not null,
    -- SHA-256 of the whole key: keys are 256-bit random, so a slow password hash buys nothing
    secret_hash  bytea       not null,
    scopes       text[]      not null,
    created_at   timestamptz not null,
    revoked_at   timestamptz,
    primary key (workspace_id, id)
);
create unique index api_key_by_secret_hash_idx on api_keys (secret_hash);
create unique index api_key_by_id_idx on api_keys (id);
