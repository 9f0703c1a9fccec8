-- Consent time moves only with consent actions (opt-in, request, confirm, awaiting confirmation, opt-out): a pause,
-- its end, a delete or a property change keeps the time of the consent action before it. States written before this
-- rule moved it with every action; they are set to what the ledger replays to under the rule, so verification stays
-- valid: the times of the last applied consent event, or 1970-01-01 where no consent action ever applied.
update subscriptions s
set occurred_at = coalesce(last.occurred_at, timestamptz '1970-01-01 00:00:00+00'),
    updated_at = coalesce(last.recorded_at, timestamptz '1970-01-01 00:00:00+00')
from subscriptions k
left join lateral (
    select e.occurred_at, e.recorded_at
    from consent_events e
    where e.workspace_id = k.workspace_id and e.contact_id = k.contact_id and e.channel = k.channel
        and e.address = k.address and e.topic_key = k.topic_key
        and e.outcome in ('CREATED', 'CHANGED', 'UNCHANGED')
        and e.action in ('OPT_IN', 'REQUEST_OPT_IN', 'CONFIRM', 'AWAIT_CONFIRMATION', 'OPT_OUT')
    order by e.seq desc
    limit 1
) last on true
where s.workspace_id = k.workspace_id and s.contact_id = k.contact_id and s.channel = k.channel
    and s.address = k.address and s.topic_key = k.topic_key;
