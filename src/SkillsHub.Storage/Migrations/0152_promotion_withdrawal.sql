-- Promotions are withdrawn, never deleted (docs/certification.md, "Withdrawn promotions"): a promotions run marks every
-- promotion the current published standings and rule no longer justify; issuance refuses a withdrawn one. Only one
-- promotion per competitor, skill and level may be in force; withdrawn ones stay for the audit trail.
alter table skillshub.promotions add column withdrawn_at timestamptz;
alter table skillshub.promotions add column withdrawn_reason text;
-- The unique (competition_code, skill_number, competitor_id, level) of 0010 (its generated name is truncated).
do $$
declare name text;
begin
    select conname into name from pg_constraint where conrelid = 'skillshub.promotions'::regclass and contype = 'u';
    execute format('alter table skillshub.promotions drop constraint %I', name);
end $$;
create unique index promotions_in_force on skillshub.promotions (competition_code, skill_number, competitor_id, level) where withdrawn_at is null;

-- Place-band rules saved before a rule had to be either award-based or by place: the award field was filled in by the
-- record's default, not by the client (bands can only be given on purpose), so the bands are what the rule meant.
update skillshub.promotion_rules
set rule = rule - 'minimumAward' - 'awardLevel' - 'alreadyHeldLevel'
where jsonb_typeof(rule -> 'bands') = 'array' and jsonb_array_length(rule -> 'bands') > 0;
