-- The outbox pruner's scan for rows past their retention, oldest first. The values arrive in increasing order, so each
-- insert lands on the index's rightmost page: a small cost on the write path for a scan that never reads the table.
create index outbox_created_idx on outbox (created_at);
