-- Server-side sign-in sessions (docs/security.md): the cookie carries only a protected session key;
-- the authentication ticket lives here, so signing out, disabling an account or changing its
-- password or roles ends its sessions on every node at the next request.
alter table skillshub.accounts add column must_change_password boolean not null default false;

create table skillshub.sessions (
    id            uuid primary key,
    account_id    uuid not null references skillshub.accounts (id),
    ticket        bytea not null,
    created_at    timestamptz not null default now(),
    last_seen_at  timestamptz not null default now(),
    expires_at    timestamptz not null,
    ended_at      timestamptz,
    ended_by      text,
    client        text,
    address       text
);
create index sessions_active on skillshub.sessions (account_id) where ended_at is null;

-- Personal API tokens (bearer) for organisers' scripts: only a SHA-256 hash is stored; a token acts
-- with its account's current roles and stops with the account.
create table skillshub.api_tokens (
    id            uuid primary key,
    account_id    uuid not null references skillshub.accounts (id),
    name          text not null,
    token_hash    text not null unique,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index api_tokens_account on skillshub.api_tokens (account_id);

-- Append-only trail of account administration and sign-in events.
create table skillshub.security_audit (
    id      bigint generated always as identity primary key,
    at      timestamptz not null default now(),
    actor   text not null,
    action  text not null,
    target  text not null,
    detail  text
);
create trigger security_audit_append_only before update or delete on skillshub.security_audit
    for each row execute function skillshub.audit_is_append_only();

-- The registry's secret for per-certificate access tokens (HMAC of the number; docs/security.md).
-- One row, written by the first node that starts with 32 random bytes from the application.
create table skillshub.registry_secret (
    id     smallint primary key check (id = 1),
    secret bytea not null check (length(secret) >= 32)
);

-- Agency isolation (docs/security.md): each evaluation keeps the name its agency imported, so an
-- agency never sees, nor is compared with, another agency's spelling of the same person.
alter table skillshub.evaluations add column holder_name text;
