-- A row about several aspects (a refused batch, a batch's stale marks, a reused key) names every one of them, so the
-- trail filtered by an aspect shows it (found by an outside tester: such a row named only its first aspect, and was
-- missing from the other aspects' history). Null on a row about one aspect or none: aspect_id says which.
-- Rows written before this migration keep only their aspect_id (the trail is append-only).
alter table skillshub.audit add column aspects text[];
create index audit_aspects on skillshub.audit using gin (aspects) where aspects is not null;
