-- A personal API token may be given an end (docs/security.md, "Personal API tokens"): past it, the token no longer acts.
alter table skillshub.api_tokens add column expires_at timestamptz;
