-- A soft-deleted subscription keeps its status and history but is never eligible (Altcraft's subscriptions/delete);
-- properties are what a dialect keeps with a subscription (Altcraft's priority, custom fields and categories).
alter table subscriptions add column deleted boolean not null default false;
alter table subscriptions add column properties jsonb not null default '{}';
