-- When a session's candidates file last gave the candidate's education: a later session's file that gives none takes the
-- education of this agency's latest file that gave one, which need not be its newest evaluation (a file for an older
-- session may come later; docs/certification.md, "Imports"; found by an outside tester).
alter table skillshub.evaluations add column education_at timestamptz;
update skillshub.evaluations set education_at = s.created_at from skillshub.evaluation_sessions s
 where s.id = evaluations.session_id and evaluations.education is not null;
