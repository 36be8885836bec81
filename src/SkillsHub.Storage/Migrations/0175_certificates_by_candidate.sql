-- The rating and promotion certificates read a person's certificates in an occupation, with their issue dates and
-- status, to count only the levels held on the exam date (docs/certification.md, "Levels held").
create index if not exists certificates_candidate on skillshub.certificates (candidate_id, occupation_code);
