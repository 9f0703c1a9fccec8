-- A lane's head is its pending delivery first by (seq, outbox_id). The index V25 made for it ended at seq, so the head
-- read (order by seq, outbox_id limit 1) needed a sort, and on statistics taken while the table was nearly empty (a
-- workspace's first endpoint: the webhook scenario of the benchmark) the planner preferred the unique index on
-- (workspace_id, endpoint_id, outbox_id), reading every delivery of the endpoint for each lane it settled or claimed.
-- This one gives the head as the first entry of the lane, so no other index competes for it.
create index webhook_delivery_head_idx on webhook_deliveries (workspace_id, endpoint_id, contact_id, seq, outbox_id)
    where status = 'PENDING';
drop index webhook_delivery_pending_idx;

-- A delivery's latest attempt is kept on its row; webhook_attempts holds the earlier ones (an attempt moves there when
-- the next is recorded). A delivery delivered at its first attempt, nearly all of them, writes no attempt row. Rows
-- last attempted before this version have every attempt in webhook_attempts and none here.
alter table webhook_deliveries
    add column last_attempt_at timestamptz,
    add column last_latency_ms int,
    add column last_response   text;

-- A claim sets a lane's lease and claim number, no indexed column: with room left on its page the new version stays
-- on it (a HOT update) and the primary key is not written again. Pages written from now on keep that room.
alter table webhook_lanes set (fillfactor = 70);
