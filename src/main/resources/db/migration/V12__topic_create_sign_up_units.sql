-- Sign-up units: configured opt-in entry points, each with its legal disclosure. Disclosures are versioned and never
-- edited in place: the ledger names the version (and hash) every opt-in was given.
create table sign_up_units (
    workspace_id          bigint      not null references workspaces (id),
    id                    text        not null,
    name                  text        not null,
    channel               text        not null check (channel in ('TEXT', 'EMAIL')),
    subscription_type     text        not null check (subscription_type in ('MARKETING', 'TRANSACTIONAL', 'CHECKOUT_ABANDONED')),
    language              text        not null,
    country               text        not null,
    single_opt_in_allowed boolean     not null,
    disclosure_version    int         not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    deleted_at            timestamptz,
    primary key (workspace_id, id)
);
create index sign_up_unit_by_locale_idx on sign_up_units (workspace_id, language, country, subscription_type);

create table sign_up_unit_disclosures (
    workspace_id bigint      not null,
    unit_id      text        not null,
    version      int         not null,
    text         text        not null,
    hash         text        not null,
    created_at   timestamptz not null,
    primary key (workspace_id, unit_id, version),
    foreign key (workspace_id, unit_id) references sign_up_units (workspace_id, id)
);
