-- Contact ids are positive 64-bit integers from one sequence, so they never collide across workspaces.
create sequence contact_id_seq as bigint minvalue 1;

create table contacts (
    workspace_id bigint      not null references workspaces (id),
    id           bigint      not null default nextval('contact_id_seq'),
    attributes   jsonb       not null default '{}',
    -- head of this contact's ledger hash chain, updated under the row lock that serialises its changes
    ledger_seq   bigint      not null default 0,
    ledger_hash  bytea,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    primary key (workspace_id, id),
    constraint contact_id_positive check (id > 0)
);
create unique index contact_by_id_idx on contacts (id);

create table identifiers (
    workspace_id bigint      not null,
    name         text        not null,
    value        text        not null,
    contact_id   bigint      not null,
    created_at   timestamptz not null,
    primary key (workspace_id, name, value),
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id)
);
-- one identifier of each name per contact: its email, its phone, its external id
create unique index identifier_by_contact_idx on identifiers (workspace_id, contact_id, name);
