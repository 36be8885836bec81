-- The credential that issued a pairing code: a Chief Expert's tablet (issuer_device), or an account (issuer_account) with
-- the session (issuer_session) or the API token (issuer_token) it used. A code is void once that tablet is revoked, that
-- account disabled, that session ended or that token revoked; its unused codes are voided (audited) when any of these
-- ends: found by outside testers, a code issued from a stolen tablet, or with a stolen token, paired a new tablet after
-- the tablet or token was revoked (docs/security.md, "Roles"). Codes issued before this migration name none.
alter table skillshub.pairing_codes add column issuer_device uuid, add column issuer_account uuid, add column issuer_session uuid, add column issuer_token uuid;
create index pairing_codes_issuer_device on skillshub.pairing_codes (issuer_device) where used_at is null and revoked_at is null;
create index pairing_codes_issuer_account on skillshub.pairing_codes (issuer_account) where used_at is null and revoked_at is null;
create index pairing_codes_issuer_session on skillshub.pairing_codes (issuer_session) where used_at is null and revoked_at is null;
create index pairing_codes_issuer_token on skillshub.pairing_codes (issuer_token) where used_at is null and revoked_at is null;
-- Which code paired a tablet, so whoever issued the code can see that it was used and by which tablet (found by an
-- outside tester: the console guessed it from the expert, and marked another of that expert's codes as used).
alter table skillshub.devices add column pairing_code_hash text;
