-- The years in the occupation a session's candidates file gives are that candidate's for the session, as its education is
-- (docs/certification.md, "Imports"): kept on the evaluation, changed by a later file for the session until the candidate
-- is rated. They were kept once per person, occupation and agency, the latest file's, so a file for another session
-- changed an unrated session's eligibility without a word there (found by an outside tester). Evaluations stored before
-- keep none and take the agency's latest value, as every evaluation did until now.
alter table skillshub.evaluations add column in_occupation_since date;
