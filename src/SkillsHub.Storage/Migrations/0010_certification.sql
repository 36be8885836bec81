-- Vocational certification (docs/certification.md): occupation catalogue, evaluation agencies and their filed
-- scope, candidates, evaluation sessions and results, rating decisions, certificates with gap-free
-- serial counters, imports and job progress, promotions and consistency findings.

create table skillshub.occupation_groups (
    code    text primary key check (code ~ '^[1-8]$'),
    name_zh text not null,
    name_en text not null
);

create table skillshub.occupations (
    code              text primary key check (code ~ '^[1-8]-\d{2}-\d{2}-\d{2}$'),
    name_zh           text not null,
    name_en           text not null,
    worldskills_skill text,
    -- Eligibility years where the occupation standard differs from the template (null: template).
    eligibility_years jsonb,
    -- 'sample' for the seeded sample catalogue, 'import' for an imported catalogue.
    source            text not null
);

create table skillshub.occupation_work_types (
    occupation_code text not null references skillshub.occupations (code),
    name            text not null,
    primary key (occupation_code, name)
);

-- Key = type + 4-digit agency code + province + site serial, the first 13 characters of its certificate numbers.
create table skillshub.agencies (
    key         text primary key check (key ~ '^[YS]\d{12}$'),
    type        char(1) not null check (type in ('Y', 'S')),
    agency_code char(4) not null,
    province    char(2) not null,
    site        char(6) not null,
    name        text not null,
    status      text not null default 'active' check (status in ('active', 'suspended', 'revoked')),
    check (key = type || agency_code || province || site)
);

create table skillshub.agency_scope (
    agency_key      text not null references skillshub.agencies (key),
    occupation_code text not null references skillshub.occupations (code),
    level           smallint not null check (level between 0 and 7),
    primary key (agency_key, occupation_code, level)
);

-- A person, identified by ID type and number (never shown in full anywhere public).
create table skillshub.candidates (
    id         bigint generated always as identity primary key,
    id_type    text not null,
    id_number  text not null,
    name       text not null,
    education  smallint not null default 0,
    created_at timestamptz not null default now(),
    unique (id_type, id_number)
);

create table skillshub.candidate_work (
    candidate_id    bigint not null references skillshub.candidates (id),
    occupation_code text not null references skillshub.occupations (code),
    since           date not null,
    reported_by     text not null references skillshub.agencies (key),
    primary key (candidate_id, occupation_code, reported_by)
);

-- Levels held per occupation: declared at import, earned by certificate, promotion or appointment.
create table skillshub.candidate_levels (
    candidate_id    bigint not null references skillshub.candidates (id),
    occupation_code text not null references skillshub.occupations (code),
    level           smallint not null check (level between 0 and 7),
    since           date not null,
    source          text not null,
    primary key (candidate_id, occupation_code, level)
);

create table skillshub.evaluation_sessions (
    id              bigint generated always as identity primary key,
    agency_key      text not null references skillshub.agencies (key),
    occupation_code text not null references skillshub.occupations (code),
    work_type       text not null default '',
    level           smallint not null check (level between 1 and 5),
    exam_on         date not null,
    review_on       date,
    created_by      text not null,
    created_at      timestamptz not null default now()
);
create index evaluation_sessions_agency on skillshub.evaluation_sessions (agency_key, id);

-- One candidate in one session, with the results (theory, practical, comprehensive review).
create table skillshub.evaluations (
    id                 bigint generated always as identity primary key,
    session_id         bigint not null references skillshub.evaluation_sessions (id),
    candidate_id       bigint not null references skillshub.candidates (id),
    theory             numeric(5, 2) check (theory between 0 and 100),
    practical          numeric(5, 2) check (practical between 0 and 100),
    review             numeric(5, 2) check (review between 0 and 100),
    certificate_number char(22),
    unique (session_id, candidate_id)
);

create table skillshub.rating_decisions (
    evaluation_id bigint primary key references skillshub.evaluations (id),
    session_id    bigint not null references skillshub.evaluation_sessions (id),
    outcome       text not null check (outcome in ('passed', 'failed', 'ineligible', 'out-of-scope')),
    reasons       text[] not null,
    decided_at    timestamptz not null default now(),
    run_id        uuid
);
create index rating_decisions_session on skillshub.rating_decisions (session_id, outcome, evaluation_id);

create table skillshub.certificates (
    number          char(22) primary key,
    -- One certificate per evaluation, whatever runs the issuing job and however often.
    evaluation_id   bigint unique references skillshub.evaluations (id),
    candidate_id    bigint not null references skillshub.candidates (id),
    holder_name     text not null,
    id_type         text not null,
    id_number       text not null,
    occupation_code text not null references skillshub.occupations (code),
    work_type       text not null default '',
    level           smallint not null check (level between 1 and 5),
    agency_key      text not null references skillshub.agencies (key),
    issue_year      smallint not null,
    serial          integer not null check (serial between 1 and 999999),
    issued_on       date not null,
    status          text not null default 'valid' check (status in ('valid', 'revoked')),
    run_id          uuid,
    unique (agency_key, issue_year, level, serial)
);
create index certificates_holder on skillshub.certificates (id_number, id_type);

-- The last serial used per (agency incl. site, year, level); bumped with UPDATE ... RETURNING inside
-- the issuing transaction, so serials have no gaps and no duplicates even with several nodes.
create table skillshub.certificate_counters (
    agency_key  text not null references skillshub.agencies (key),
    issue_year  smallint not null,
    level       smallint not null,
    last_serial integer not null default 0,
    primary key (agency_key, issue_year, level)
);

create table skillshub.appointments (
    id              bigint generated always as identity primary key,
    agency_key      text not null references skillshub.agencies (key),
    candidate_id    bigint not null references skillshub.candidates (id),
    occupation_code text not null references skillshub.occupations (code),
    level           smallint not null check (level in (6, 7)),
    appointed_on    date not null,
    appointed_by    text not null,
    unique (agency_key, candidate_id, occupation_code, level)
);

-- Uploaded files and their processing (all-or-nothing, with a per-row error report).
create table skillshub.cert_imports (
    id           uuid primary key,
    kind         text not null check (kind in ('occupations', 'candidates', 'results')),
    agency_key   text references skillshub.agencies (key),
    session_id   bigint references skillshub.evaluation_sessions (id),
    file_name    text not null,
    content      bytea,
    status       text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'rejected', 'failed')),
    total_rows   integer not null default 0,
    processed    integer not null default 0,
    stored_rows  integer not null default 0,
    error_count  integer not null default 0,
    message      text,
    job_id       text,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    finished_at  timestamptz
);
create index cert_imports_agency on skillshub.cert_imports (agency_key, created_at desc);

create table skillshub.cert_import_errors (
    import_id uuid not null references skillshub.cert_imports (id) on delete cascade,
    line      bigint not null,
    field     text not null,
    message   text not null
);
create index cert_import_errors_import on skillshub.cert_import_errors (import_id, line);

-- Progress of rating, issuance, promotion and consistency jobs, polled by the agency page.
create table skillshub.cert_runs (
    id          uuid primary key,
    kind        text not null check (kind in ('rate', 'issue', 'promote', 'check')),
    agency_key  text references skillshub.agencies (key),
    session_id  bigint references skillshub.evaluation_sessions (id),
    status      text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
    total       integer not null default 0,
    processed   integer not null default 0,
    summary     jsonb,
    message     text,
    job_id      text,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);
create index cert_runs_session on skillshub.cert_runs (session_id, created_at desc);

-- Promotion rule per competition (null row: the national rule with the catalogue's skill mapping).
create table skillshub.promotion_rules (
    competition_code text primary key,
    rule             jsonb not null,
    skill_occupations jsonb
);

create table skillshub.promotions (
    id               bigint generated always as identity primary key,
    competition_code text not null,
    skill_number     smallint not null,
    competitor_id    text not null,
    name             text not null,
    member_code      text not null,
    occupation_code  text not null references skillshub.occupations (code),
    level            smallint not null,
    reason           text not null,
    standings_sequence bigint not null,
    decided_at       timestamptz not null default now(),
    unique (competition_code, skill_number, competitor_id, level)
);

-- Nightly consistency check: anomalies are reported here (and logged), never silently fixed.
create table skillshub.consistency_findings (
    id         bigint generated always as identity primary key,
    run_id     uuid not null,
    found_at   timestamptz not null default now(),
    kind       text not null,
    subject    text not null,
    detail     text not null
);
create index consistency_findings_run on skillshub.consistency_findings (run_id);
