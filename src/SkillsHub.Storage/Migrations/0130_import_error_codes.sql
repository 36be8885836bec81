-- Each stored import row error keeps its stable code and arguments (docs/pages.md, "Languages"), so the
-- agency page words it in the officer's language; the English message stays for the error report.
-- Rows stored before this migration have no code: the pages show their English message.
alter table skillshub.cert_import_errors add column code text, add column args jsonb;
