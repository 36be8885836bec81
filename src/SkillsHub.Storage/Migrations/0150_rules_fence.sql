-- The version of each skill's marking rules (scheme, judges, competitors, experts, groups, locks) that marks may
-- be written under (docs/scoring.md, "Rule changes and marks in flight"). A batch's transaction checks, and holds
-- a share lock on, this row: it commits only if the rules it was checked against are still the skill's rules.
-- A rule change advances the row first, which waits for every batch in flight to end and makes every batch
-- checked under the old rules fail; the change is acknowledged only afterwards.
create table skillshub.skill_rules (
    competition_code text not null,
    skill_number     smallint not null,
    version          bigint not null,
    primary key (competition_code, skill_number)
);

create function skillshub.check_rules(p_competition text[], p_skill smallint[], p_version bigint[])
returns void language plpgsql as $$
declare
    current_version bigint;
begin
    for i in 1 .. coalesce(array_length(p_competition, 1), 0) loop
        select version into current_version from skillshub.skill_rules
        where competition_code = p_competition[i] and skill_number = p_skill[i]
        for share;
        if current_version is distinct from p_version[i] then
            raise exception 'the marking rules of %/% are at version %, the batch was checked against %',
                p_competition[i], p_skill[i], current_version, p_version[i]
                using errcode = 'P0001', constraint = 'skill_rules_version';
        end if;
    end loop;
end $$;
