-- A certificate keeps its occupation's names and validity as they were when it was issued (docs/certification.md,
-- "Certificates keep what they said"): a catalogue import that renamed an occupation changed the names of certificates
-- already issued in the registry, while their signed credentials and PDFs kept the old ones.
alter table skillshub.certificates add column occupation_zh text;
alter table skillshub.certificates add column occupation_en text;
alter table skillshub.certificates add column validity_years smallint;
update skillshub.certificates c
set occupation_zh = o.name_zh, occupation_en = o.name_en, validity_years = o.certificate_validity_years
from skillshub.occupations o
where o.code = c.occupation_code;
