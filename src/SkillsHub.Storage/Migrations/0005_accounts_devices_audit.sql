-- Sign-in: organiser/admin/agency accounts (hashed passwords), tablet pairing codes and paired devices,
-- and the append-only audit trail of every mark write (accepted or refused).

create table skillshub.accounts (
    id            uuid primary key,
    user_name     text not null unique check (user_name = lower(user_name) and length(user_name) between 3 and 64),
    display_name  text not null,
    password_hash text not null,
    roles         text[] not null,
    agency_code   text,
    created_at    timestamptz not null default now(),
    disabled_at   timestamptz
);

-- One-time codes a Chief Expert or organiser issues; only a hash is stored.
create table skillshub.pairing_codes (
    code_hash        text primary key,
    competition_code text not null,
    skill_number     smallint not null,
    expert_id        text not null,
    issued_by        text not null,
    issued_at        timestamptz not null default now(),
    expires_at       timestamptz not null,
    used_at          timestamptz,
    revoked_at       timestamptz
);

-- A tablet bound to one expert until revoked; the bearer token is stored as a SHA-256 hash.
create table skillshub.devices (
    id               uuid primary key,
    token_hash       text not null unique,
    competition_code text not null,
    skill_number     smallint not null,
    expert_id        text not null,
    device_name      text not null,
    paired_at        timestamptz not null default now(),
    revoked_at       timestamptz,
    revoked_by       text,
    revoke_reason    text
);
create index devices_expert on skillshub.devices (competition_code, skill_number, expert_id);

-- Append-only: the application only inserts. Old and new values are as the user saw them.
create table skillshub.audit (
    id               bigint generated always as identity primary key,
    at               timestamptz not null default now(),
    competition_code text not null,
    skill_number     smallint not null,
    competitor_id    text,
    aspect_id        text,
    actor            text not null,
    device           text,
    action           text not null,
    outcome          text not null,
    old_value        text,
    new_value        text,
    reason           text,
    idempotency_key  text
);
create index audit_competitor on skillshub.audit (competition_code, skill_number, competitor_id, id);
create index audit_aspect on skillshub.audit (competition_code, skill_number, aspect_id, id);
create unique index audit_idempotent on skillshub.audit (competition_code, skill_number, idempotency_key, competitor_id, aspect_id, action) where idempotency_key is not null;

create function skillshub.audit_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'skillshub.audit is append-only';
end $$;
create trigger audit_append_only before update or delete on skillshub.audit
    for each row execute function skillshub.audit_is_append_only();
