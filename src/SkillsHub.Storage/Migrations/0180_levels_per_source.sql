-- A level held is recorded once per source: each agency's declaration of it, an appointment, a certificate. With one row
-- per level, a declaration was silently dropped when another agency had declared that level for the person, or a
-- certificate had recorded it, and the rating counted only the other record's date (docs/certification.md, "Levels
-- held"; found by an outside tester).
alter table skillshub.candidate_levels drop constraint candidate_levels_pkey;
alter table skillshub.candidate_levels add primary key (candidate_id, occupation_code, level, source);
