-- Workspace events (a suppression added, changed or lifted) go on the outbox too: they name an address, not a contact.
alter table outbox alter column contact_id drop not null;
