-- Small per-workspace configuration a module keeps as JSON under a namespace of its own (the Altcraft dialect's
-- databases and resources, say): read often, written rarely, cached on every node.
create table settings (
    workspace_id bigint      not null references workspaces (id),
    namespace    text        not null,
    key          text        not null,
    value        jsonb       not null,
    updated_at   timestamptz not null,
    primary key (workspace_id, namespace, key)
);
