-- A lane's head is its pending delivery first by (seq, outbox_id). The index V25 made for it ended at seq, so the head
-- read (order by seq, outbox_id limit 1) needed a sort, and on statistics taken while the table was nearly empty (a
-- workspace's first endpoint: the webhook scenario of the benchmark) the planner preferred the unique index on
-- (workspace_id, endpoint_id, outbox_id), reading every delivery of the endpoint for each lane it settled or claimed.
-- This one gives the head as the first entry of the lane, so no other index competes for it.
create index webhook_delivery_head_idx on webhook_deliveries (workspace_id, endpoint_id, contact_id, seq, outbox_id)
    where status = 'PENDING';
drop index webhook_delivery_pending_idx;

