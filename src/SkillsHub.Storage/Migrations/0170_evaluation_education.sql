-- The education a session's candidates file declares is the evaluation's: a later or corrected file (this agency's or
-- another's) is no longer dropped because the person was first registered without it (docs/certification.md,
-- "Imports"). Null: the file gave none, and the person's first-known education applies.
alter table skillshub.evaluations add column education smallint check (education between 0 and 3);
