-- A personal API token may be given an end (docs/security.md, "Cross-site request forgery"): past it, the token no longer acts.
alter table skillshub.api_tokens add column expires_at timestamptz;
