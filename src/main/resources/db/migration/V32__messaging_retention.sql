-- What the message pruner reads: finished messages (sent, failed, cancelled) by age (optledger.retention.messages).
create index message_finished_idx on messages (created_at) where status in ('SENT', 'FAILED', 'CANCELLED');
