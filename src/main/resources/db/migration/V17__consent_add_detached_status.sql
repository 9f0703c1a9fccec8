-- A subscription whose address is no longer its contact's (a recycled phone number): kept for the ledger, counted
-- for nothing at the address (docs/ledger.md, DETACH).
alter table subscriptions drop constraint subscriptions_status_check;
alter table subscriptions add constraint subscriptions_status_check
    check (status in ('SUBSCRIBED', 'PENDING', 'UNSUBSCRIBED', 'SUSPENDED', 'DETACHED'));
