-- The credential that issued a pairing code: a Chief Expert's tablet (issuer_device) or an account (issuer_account,
-- signed in or with an API token). A code is void once that tablet is revoked or that account disabled, and its
-- unused codes are voided when the tablet is revoked or the account's sessions all end (disabled, roles changed,
-- password changed or reset): found by an outside tester, a code issued from a stolen tablet paired a new one after
-- the tablet was revoked (docs/security.md, "Tablets"). Codes issued before this migration name neither.
alter table skillshub.pairing_codes add column issuer_device uuid, add column issuer_account uuid;
create index pairing_codes_issuer_device on skillshub.pairing_codes (issuer_device) where used_at is null and revoked_at is null;
create index pairing_codes_issuer_account on skillshub.pairing_codes (issuer_account) where used_at is null and revoked_at is null;
