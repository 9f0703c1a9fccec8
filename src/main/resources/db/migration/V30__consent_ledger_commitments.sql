-- Canonical form v2 (docs/ledger.md): personal fields enter an event's hash as keyed commitments, HMAC-SHA256 with a
-- key of the contact's own, so that erasing the plaintext and the key leaves a chain that still verifies.
-- Every event written so far is form 1, which hashes its plaintext.
alter table consent_events add column form smallint not null default 1;
alter table consent_events add constraint consent_event_form_check check (form in (1, 2));
-- v2: the commitment of each personal field that has a value, by its line name (address, reason, ip, userAgent,
-- details.<key>), lowercase hex
alter table consent_events add column commitments jsonb;
-- set by the erasure alone (V31): the event's personal fields are gone
alter table consent_events add column erased_at timestamptz;
-- an erased event keeps no address; the erasure's own event names no subscription
alter table consent_events alter column address drop not null;
alter table consent_events alter column channel drop not null;
alter table consent_events alter column topic_key drop not null;

-- One commitment key per contact, made with its first v2 event; erasure deletes it, so what the commitments hide can
-- no longer be tested by guessing.
create table contact_ledger_keys (
    workspace_id bigint      not null,
    contact_id   bigint      not null,
    key          bytea       not null check (length(key) = 32),
    created_at   timestamptz not null default now(),
    primary key (workspace_id, contact_id),
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id)
);
