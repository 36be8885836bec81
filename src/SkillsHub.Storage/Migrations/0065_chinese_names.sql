-- Chinese names shown on Chinese pages (seed-data/reference): WorldSkills members, and the city and
-- country of a competition.
alter table skillshub.members add column if not exists name_zh text;
alter table skillshub.competitions add column if not exists city_zh text;
alter table skillshub.competitions add column if not exists country_zh text;
