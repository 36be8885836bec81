-- One progress model for the jobs people wait on (docs/certification.md, "Jobs and their progress"): the
-- catalogue and session imports, the rating and issuing runs and the certificate bundles kept their progress in
-- three tables of their own (cert_imports, cert_runs, credential_bundles). Hangfire keeps each job's state,
-- retries and exception; job_progress keeps what the pages poll: who may see it, rows done out of rows, the
-- outcome and, on failure or rejection, a stable code the pages translate plus the English message.
-- The imports keep their file and counts, the bundles their base address and size, beside it.
create table skillshub.job_progress (
    id          uuid primary key,
    kind        text not null check (kind in ('occupations', 'candidates', 'results', 'rate', 'issue', 'bundle')),
    agency_key  text references skillshub.agencies (key),
    session_id  bigint references skillshub.evaluation_sessions (id),
    status      text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'rejected', 'failed')),
    total       integer not null default 0,
    processed   integer not null default 0,
    summary     jsonb,
    message     text,
    code        text,
    job_id      text,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);
create index job_progress_session on skillshub.job_progress (session_id, kind, created_at desc);
create index job_progress_agency on skillshub.job_progress (agency_key, created_at desc);

insert into skillshub.job_progress (id, kind, agency_key, session_id, status, total, processed, message, code, job_id, created_by, created_at, finished_at)
select id, kind, agency_key, session_id, status, total_rows, processed, message,
       case status when 'failed' then 'job.failed' when 'rejected' then 'job.file-rejected' end,
       job_id, created_by, created_at, finished_at
from skillshub.cert_imports;

insert into skillshub.job_progress (id, kind, agency_key, session_id, status, total, processed, summary, message, code, job_id, created_by, created_at, finished_at)
select id, kind, agency_key, session_id, status, total, processed, summary, message,
       case when status = 'failed' then 'job.failed' end, job_id, created_by, created_at, finished_at
from skillshub.cert_runs;

insert into skillshub.job_progress (id, kind, agency_key, session_id, status, total, processed, message, code, job_id, created_by, created_at, finished_at)
select id, 'bundle', agency_key, session_id, status, total, processed, message,
       case when status = 'failed' then 'job.failed' end, job_id, created_by, created_at, finished_at
from skillshub.credential_bundles;

alter table skillshub.cert_imports
    drop column kind, drop column agency_key, drop column session_id, drop column status, drop column total_rows,
    drop column processed, drop column message, drop column job_id, drop column created_by, drop column created_at,
    drop column finished_at;
alter table skillshub.cert_imports add constraint cert_imports_progress foreign key (id) references skillshub.job_progress (id) on delete cascade;

alter table skillshub.credential_bundles
    drop column agency_key, drop column session_id, drop column status, drop column total, drop column processed,
    drop column message, drop column job_id, drop column created_by, drop column created_at, drop column finished_at;
alter table skillshub.credential_bundles add constraint credential_bundles_progress foreign key (id) references skillshub.job_progress (id) on delete cascade;

drop table skillshub.cert_runs;
