-- Marks are stored in rows written in one transaction with their audit rows and the request's
-- idempotency record (docs/scoring.md, "Idempotency" and "Order"): a mark is acknowledged only after
-- that transaction committed, so the sheet, the audit trail and every key's answer never disagree.

-- Every Idempotency-Key an expert used, for the life of the competition: the request's hash and the
-- first answer. Same key + same request -> that answer; same key + another request -> refused.
create table skillshub.mark_requests (
    competition_code text not null,
    skill_number     smallint not null,
    expert_id        text not null,
    idempotency_key  text not null,
    competitor_id    text not null,
    request_hash     bytea not null,
    answer           jsonb not null,
    at               timestamptz not null default now(),
    primary key (competition_code, skill_number, expert_id, idempotency_key)
);
create index mark_requests_competitor on skillshub.mark_requests (competition_code, skill_number, competitor_id);

-- The current entry of each expert for each aspect of a competitor. A judgement aspect's score is the
-- expert's own; a measurement aspect's value is the entry changed last ("changed" = the sheet version).
create table skillshub.mark_entries (
    competition_code text not null,
    skill_number     smallint not null,
    competitor_id    text not null,
    aspect_id        text not null,
    expert_id        text not null,
    score            smallint,
    achieved         boolean,
    deviation        numeric,
    deductions       int[],
    created_at       timestamptz,
    device           text not null,
    device_sequence  bigint,
    changed          bigint not null,
    primary key (competition_code, skill_number, competitor_id, aspect_id, expert_id)
);

-- One row per sheet: its version, advanced by every accepted batch (optimistic concurrency between
-- two activations of one competitor during a failover).
create table skillshub.mark_sheets (
    competition_code text not null,
    skill_number     smallint not null,
    competitor_id    text not null,
    version          bigint not null,
    primary key (competition_code, skill_number, competitor_id)
);

create function skillshub.advance_sheet(p_competition text, p_skill smallint, p_competitor text, p_from bigint, p_to bigint)
returns void language plpgsql as $$
begin
    if p_from = 0 then
        insert into skillshub.mark_sheets values (p_competition, p_skill, p_competitor, p_to)
        on conflict do nothing;
    else
        update skillshub.mark_sheets set version = p_to
        where competition_code = p_competition and skill_number = p_skill and competitor_id = p_competitor and version = p_from;
    end if;
    if not found then
        raise exception 'mark sheet %/%/% is not at version %', p_competition, p_skill, p_competitor, p_from using errcode = '40001';
    end if;
end $$;

-- The audit row of a mark is written exactly once, in the mark's own transaction: the old unique index
-- (which silently dropped a second row for a reused key) goes.
drop index skillshub.audit_idempotent;

-- WorldSkills allows one competitor (or team) per member per skill; a competition may allow several
-- (docs/scoring.md, "Competitors per member").
alter table skillshub.competitions add column allow_several_per_member boolean not null default false;

-- Sheets kept by earlier versions in the contestant grains' Orleans state move into the rows above, so an
-- upgraded database keeps every acknowledged mark. Rows whose key is not "CODE/NN/competitor" are left alone.
insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, score, achieved, deviation, deductions, created_at, device, device_sequence, changed)
select split_part(s.grainidextensionstring, '/', 1), split_part(s.grainidextensionstring, '/', 2)::smallint,
       substring(s.grainidextensionstring from '^[^/]+/[0-9]{1,4}/(.+)$'), m.key, coalesce(m.value->>'ExpertId', ''),
       null, (m.value->>'Achieved')::boolean, (m.value->>'Deviation')::numeric,
       (select array_agg(d::int) from jsonb_array_elements_text(m.value->'Deductions') d),
       null, 'migrated', null, coalesce((s.payloadjson->>'Version')::bigint, 1)
from public.orleansstorage s, jsonb_each(s.payloadjson->'Measurements') m
where s.graintypestring = 'contestant' and s.grainidextensionstring ~ '^[^/]+/[0-9]{1,4}/.+$' and jsonb_typeof(s.payloadjson->'Measurements') = 'object'
on conflict do nothing;

insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, score, device, changed)
select split_part(s.grainidextensionstring, '/', 1), split_part(s.grainidextensionstring, '/', 2)::smallint,
       substring(s.grainidextensionstring from '^[^/]+/[0-9]{1,4}/(.+)$'), j.key, e.key, e.value::smallint,
       'migrated', coalesce((s.payloadjson->>'Version')::bigint, 1)
from public.orleansstorage s, jsonb_each(s.payloadjson->'Judgements') j, jsonb_each_text(j.value) e
where s.graintypestring = 'contestant' and s.grainidextensionstring ~ '^[^/]+/[0-9]{1,4}/.+$' and jsonb_typeof(s.payloadjson->'Judgements') = 'object'
on conflict do nothing;

insert into skillshub.mark_sheets (competition_code, skill_number, competitor_id, version)
select distinct on (competition_code, skill_number, competitor_id) competition_code, skill_number, competitor_id, changed
from skillshub.mark_entries order by competition_code, skill_number, competitor_id, changed desc
on conflict do nothing;
