-- A stable id per subscription, for cursor paging through a topic's subscriptions (Altcraft's list_all from_id).
alter table subscriptions add column id bigint generated always as identity;
create index subscription_by_topic_idx on subscriptions (workspace_id, topic_key, id);
