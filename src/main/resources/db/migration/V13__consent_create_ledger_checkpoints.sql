-- Signed checkpoints of the ledger (docs/ledger.md, "Checkpoints"): each one records, for every contact whose chain
-- grew since its last checkpoint, the hashes of its new events, and is signed with the workspace's Ed25519 key, which
-- is kept outside the database. A rewrite made by someone who can write the tables then shows, hashes recomputed or not.

-- Through which seq the contact's chain is checkpointed: a hint that finds changed contacts (the entries below are the
-- record). The partial index holds only the contacts that changed since, so the job's scan is as small as the change.
alter table contacts add column checkpointed_seq bigint not null default 0;
create index contact_uncheckpointed_idx on contacts (workspace_id, id) where ledger_seq > checkpointed_seq;

create table ledger_checkpoints (
    workspace_id   bigint      not null references workspaces (id),
    number         bigint      not null,
    created_at     timestamptz not null,
    key_id         text        not null,
    -- root of the checkpoint before (32 zero bytes for the first), so the log is a chain too
    prev_root      bytea       not null,
    contact_count  int         not null,
    event_count    bigint      not null,
    entries_digest bytea       not null,
    root           bytea       not null,
    signature      bytea       not null,
    primary key (workspace_id, number)
);

create table ledger_checkpoint_entries (
    workspace_id bigint not null,
    number       bigint not null,
    contact_id   bigint not null,
    from_seq     bigint not null,
    to_seq       bigint not null,
    -- the 32-byte hashes of events from_seq..to_seq, concatenated: verify names the exact event a rewrite changed
    hashes       bytea  not null,
    primary key (workspace_id, number, contact_id),
    foreign key (workspace_id, number) references ledger_checkpoints (workspace_id, number),
    constraint checkpoint_entry_range check (from_seq >= 1 and to_seq >= from_seq
        and octet_length(hashes) = 32 * (to_seq - from_seq + 1))
);
create index checkpoint_entry_by_contact_idx on ledger_checkpoint_entries (workspace_id, contact_id, to_seq);

-- Append-only like consent_events: no role may rewrite the log, not even the application's own.
create function ledger_checkpoints_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only (% refused)', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger ledger_checkpoints_append_only
    before update or delete on ledger_checkpoints
    for each row execute function ledger_checkpoints_refuse_change();
create trigger ledger_checkpoints_no_truncate
    before truncate on ledger_checkpoints
    for each statement execute function ledger_checkpoints_refuse_change();
create trigger ledger_checkpoint_entries_append_only
    before update or delete on ledger_checkpoint_entries
    for each row execute function ledger_checkpoints_refuse_change();
create trigger ledger_checkpoint_entries_no_truncate
    before truncate on ledger_checkpoint_entries
    for each statement execute function ledger_checkpoints_refuse_change();
