-- SkillsHub reference data: WorldSkills members, competitions and their skills.
-- A skill is keyed by (competition, number) because WorldSkills renumbers skills between events.
create table skillshub.members (
    code text primary key check (code ~ '^[A-Z]{2}$'),
    name text not null
);

create table skillshub.competitions (
    code      text primary key check (code ~ '^[A-Z0-9]{3,16}$'),
    name      text not null,
    name_zh   text,
    city      text not null,
    country   text not null,
    starts_on date,
    ends_on   date
);

create table skillshub.skills (
    competition_code   text not null references skillshub.competitions (code),
    number             smallint not null check (number between 1 and 99),
    name               text not null,
    name_zh            text,
    sector             text,
    team_size          smallint check (team_size between 1 and 3),
    competitor_max_age smallint,
    primary key (competition_code, number)
);
