-- Imports (module transfer): a job per uploaded file, its rows staged by COPY until they are applied, and the rows it
-- rejected with their reasons. A job is worked on by one node at a time, under a lease fenced by the claim number;
-- its cursor (the last staged row applied) moves in the same transaction as the chunk it covers, so a node that dies
-- mid-import leaves nothing half done and the next one resumes after the cursor.

create table import_jobs (
    workspace_id     bigint      not null references workspaces (id),
    -- random text: a job's id tells nothing about other workspaces' imports
    id               text        not null,
    state            text        not null check (state in ('QUEUED', 'RUNNING', 'DONE', 'CANCELLED', 'FAILED')),
    dry_run          boolean     not null,
    format           text        not null,
    -- what the rows did not say: channel, topic, action and the rest, and whether to notify subscribers of changes
    options          jsonb       not null,
    rows_total       bigint      not null,
    rows_done        bigint      not null default 0,
    created          bigint      not null default 0,
    changed          bigint      not null default 0,
    unchanged        bigint      not null default 0,
    stale            bigint      not null default 0,
    rejected         bigint      not null default 0,
    rejected_by      jsonb       not null default '{}',
    -- a few rows of each outcome, for a dry run's diff
    samples          jsonb       not null default '{}',
    -- the last staged row applied, in the order rows are applied (contact key, then row number)
    cursor_key       text        not null default '',
    cursor_row       bigint      not null default 0,
    api_key_id       text,
    request_id       text,
    created_at       timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    lease_until      timestamptz,
    claim            bigint      not null default 0,
    error            text,
    primary key (workspace_id, id)
);
create index import_job_due_idx on import_jobs (created_at) where state in ('QUEUED', 'RUNNING');

-- Rows as the file gave them, mapped to fields, still raw text: normalising addresses and deciding consent happen when
-- they are applied. Ordered by the contact they name first, so that one contact's rows are applied in one chunk.
create table import_rows (
    workspace_id    bigint      not null,
    job_id          text        not null,
    contact_key     text        not null,
    row_no          bigint      not null,
    email           text,
    phone           text,
    external_id     text,
    identifiers     jsonb,
    channel         text,
    address         text,
    topic           text,
    action          text,
    occurred_at     timestamptz,
    suspended_until timestamptz,
    source          text,
    reason          text,
    sign_up_unit    text,
    ip              text,
    user_agent      text,
    primary key (workspace_id, job_id, contact_key, row_no)
);

create table import_rejects (
    workspace_id bigint not null,
    job_id       text   not null,
    row_no       bigint not null,
    reason       text   not null,
    message      text   not null,
    primary key (workspace_id, job_id, row_no)
);
