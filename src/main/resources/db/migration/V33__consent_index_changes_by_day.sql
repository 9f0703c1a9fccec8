-- The operator console's dashboard counts opt-ins, opt-outs and confirmations per day, topic and channel from the
-- ledger. This partial index holds only the applied consent actions it counts, in receipt order per workspace, with
-- every column the query reads: the query is an index-only range scan, and the write path pays one extra index entry
-- for those events only (an unchanged, stale or rejected attempt, a pause or a delete adds none). No rollup row is
-- updated per change, so concurrent writers never queue on one.
create index consent_event_change_by_day_idx
    on consent_events (workspace_id, recorded_at)
    include (topic_key, channel, action)
    where outcome in ('CREATED', 'CHANGED') and action in ('OPT_IN', 'REQUEST_OPT_IN', 'CONFIRM', 'OPT_OUT');
