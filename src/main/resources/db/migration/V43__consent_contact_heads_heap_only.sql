-- Every consent change moves its contact's chain head (ledger_seq, ledger_hash). V13's partial index named ledger_seq
-- in its condition, so no such update could be heap-only: each wrote a new entry into all three of the table's
-- indexes, and the primary key and the id index grew with every change. Without it, and with room left on the pages
-- written from now on, the head update stays on its page (HOT). The checkpoint job now finds changed contacts by
-- walking the workspace's primary key once a round (ledger_seq > checkpointed_seq), which costs it a scan a minute.
drop index contact_uncheckpointed_idx;
alter table contacts set (fillfactor = 90);
