-- Every consent write reads each contact's ledger key under the contact's lock, beside its own addresses (V45): from
-- the index alone now, without a random heap page per contact.
create unique index contact_ledger_keys_with_key_pkey on contact_ledger_keys (workspace_id, contact_id) include (key);
alter table contact_ledger_keys drop constraint contact_ledger_keys_pkey;
alter table contact_ledger_keys add constraint contact_ledger_keys_pkey primary key using index contact_ledger_keys_with_key_pkey;
