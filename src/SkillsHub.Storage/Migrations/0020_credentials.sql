-- Signed credentials for certificates (issue #8): per-agency Ed25519 keys (private keys encrypted at
-- rest), one issued credential per certificate with its status-list index, revocation (final) and
-- suspension (reversible) with reasons, the agency-supplied photo, a PDF cache and bulk ZIP bundles.

-- Years a certificate of this occupation stays valid (null: no expiry, the national default).
alter table skillshub.occupations add column certificate_validity_years smallint check (certificate_validity_years between 1 and 50);

alter table skillshub.certificates drop constraint if exists certificates_status_check;
alter table skillshub.certificates add constraint certificates_status_check check (status in ('valid', 'revoked', 'suspended'));
alter table skillshub.certificates add column status_reason text;
alter table skillshub.certificates add column status_changed_at timestamptz;
alter table skillshub.certificates add column status_changed_by text;

create table skillshub.agency_keys (
    agency_key     text not null references skillshub.agencies (key),
    key_id         text not null,
    algorithm      text not null default 'Ed25519',
    public_key     bytea not null check (length(public_key) = 32),
    -- AES-256-GCM(KEK, private key), nonce || ciphertext || tag, with the agency key and key id as associated data.
    private_key    bytea not null,
    kek_id         text not null,
    created_at     timestamptz not null default now(),
    retired_at     timestamptz,
    primary key (agency_key, key_id)
);
-- At most one active signing key per agency, whatever node creates it first.
create unique index agency_keys_active on skillshub.agency_keys (agency_key) where retired_at is null;

-- Next free status-list index per agency (the same index in the revocation and the suspension list).
create table skillshub.status_list_counters (
    agency_key text primary key references skillshub.agencies (key),
    next_index integer not null default 0
);

create table skillshub.credentials (
    number        char(22) primary key references skillshub.certificates (number),
    agency_key    text not null references skillshub.agencies (key),
    status_index  integer not null check (status_index >= 0),
    key_id        text not null,
    jwt           text not null,
    issued_at     timestamptz not null default now(),
    unique (agency_key, status_index)
);

-- Every status change, for the audit trail (revocation and suspension are never silent).
create table skillshub.certificate_status_events (
    id         bigint generated always as identity primary key,
    number     char(22) not null references skillshub.certificates (number),
    action     text not null check (action in ('revoke', 'suspend', 'reinstate')),
    reason     text not null,
    actor      text not null,
    at         timestamptz not null default now()
);
create index certificate_status_events_number on skillshub.certificate_status_events (number, id);

create table skillshub.certificate_photos (
    number       char(22) primary key references skillshub.certificates (number),
    media_type   text not null check (media_type in ('image/png', 'image/jpeg')),
    content      bytea not null,
    uploaded_by  text not null,
    uploaded_at  timestamptz not null default now()
);

-- Rendered PDFs, rendered on demand; dropped when the photo changes.
create table skillshub.certificate_pdfs (
    number      char(22) primary key references skillshub.certificates (number),
    base_url    text not null,
    content     bytea not null,
    rendered_at timestamptz not null default now()
);

-- Bulk downloads: one ZIP of PDFs and credentials per session, written by a Hangfire job in parts.
create table skillshub.credential_bundles (
    id          uuid primary key,
    agency_key  text not null references skillshub.agencies (key),
    session_id  bigint not null references skillshub.evaluation_sessions (id),
    base_url    text not null,
    status      text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
    total       integer not null default 0,
    processed   integer not null default 0,
    size_bytes  bigint not null default 0,
    message     text,
    job_id      text,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);
create index credential_bundles_session on skillshub.credential_bundles (session_id, created_at desc);

create table skillshub.credential_bundle_parts (
    bundle_id uuid not null references skillshub.credential_bundles (id) on delete cascade,
    part      integer not null,
    content   bytea not null,
    primary key (bundle_id, part)
);
