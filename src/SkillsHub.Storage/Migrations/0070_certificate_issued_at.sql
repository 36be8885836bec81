-- The instant a certificate was issued (issue #17): a credential's validFrom is this UTC instant, not the
-- China issue date at 00:00Z (which made a credential issued before 08:00 China time "not yet valid").
-- Rows from before this column keep null and are read as the start of their China issue day (UTC+8),
-- which is never later than the real instant (docs/credentials.md).
alter table skillshub.certificates add column issued_at timestamptz;
