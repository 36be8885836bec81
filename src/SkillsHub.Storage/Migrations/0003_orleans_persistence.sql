-- Orleans ADO.NET grain persistence on PostgreSQL, with grain state stored as queryable jsonb.
-- Written for SkillsHub from the providers' documented contract (query keys, named parameters and
-- result columns of Microsoft.Orleans.Persistence.AdoNet 10.4.x), not copied from the Orleans scripts.
--
-- Contract notes:
-- * Every query gets @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint, @GrainTypeHash int,
--   @GrainTypeString text, @GrainIdExtensionString text (NULL when the key has no string part),
--   @ServiceId text; write/clear/delete also @GrainStateVersion int (NULL = grain holds no etag) and
--   write @PayloadBinary bytea (the serializer's bytes).
--   Key parts: integer key -> N0 = 0, N1 = key; Guid key -> N0/N1 = its two 64-bit halves;
--   string key -> N0 = N1 = 0 and the key in GrainIdExtensionString. The hashes only narrow lookups.
-- * ReadFromStorageKey returns zero or one row with PayloadBinary (bytea) and Version (int).
--   A row with NULL payload is a cleared state: the grain gets a default state and keeps the etag.
-- * WriteToStorageKey / ClearStorageKey / DeleteStorageKey return exactly one row whose first column is
--   the new version, or NULL when the expected version did not match; the provider then throws
--   InconsistentStateException.
-- * With UseSystemTextJsonGrainStorageSerializer() the payload is UTF-8 JSON and is stored in
--   payloadjson (jsonb). Payloads that are not valid JSON (another serializer, or text jsonb refuses,
--   such as \u0000) fall back to payloadbinary (bytea). Reads hand back whichever is set, as bytes.
--   jsonb does not keep key order or whitespace: System.Text.Json metadata such as "$type" may then not
--   come first, which polymorphic deserialization tolerates only with AllowOutOfOrderMetadataProperties.

create table public.orleansstorage (
    id                     bigint generated always as identity primary key,
    serviceid              text not null,
    graintypehash          int not null,
    graintypestring        text not null,
    grainidhash            int not null,
    grainidn0              bigint not null,
    grainidn1              bigint not null,
    grainidextensionstring text,
    payloadjson            jsonb,
    payloadbinary          bytea,
    version                int not null,
    modifiedon             timestamptz not null default now(),
    constraint orleansstorage_one_payload check (payloadjson is null or payloadbinary is null)
);

-- One row per (service, grain type, grain id); the hashes lead so the index also serves the lookups.
create unique index orleansstorage_grain_key on public.orleansstorage
    (grainidhash, graintypehash, serviceid, grainidn0, grainidn1, graintypestring, grainidextensionstring)
    nulls not distinct;

-- For ad-hoc queries over the JSON state of one grain type.
create index orleansstorage_type on public.orleansstorage (graintypestring);

-- Returns the payload as jsonb when it is UTF-8 JSON that jsonb accepts, else NULL.
create function public.orleans_try_jsonb(p_payload bytea)
returns jsonb
language plpgsql
immutable strict
as $fn$
begin
    return convert_from(p_payload, 'UTF8')::jsonb;
exception when others then
    return null;
end
$fn$;

create function public.orleans_storage_write(
    p_grainidhash int, p_grainidn0 bigint, p_grainidn1 bigint, p_graintypehash int,
    p_graintypestring text, p_grainidextensionstring text, p_serviceid text,
    p_grainstateversion int, p_payload bytea)
returns int
language plpgsql
as $fn$
declare
    v_json    jsonb := public.orleans_try_jsonb(p_payload);
    v_binary  bytea := case when v_json is null then p_payload end;
    v_version int;
begin
    if p_grainstateversion is null then
        -- First write of this grain: only succeeds if no row exists (else another activation won).
        insert into public.orleansstorage
            (serviceid, graintypehash, graintypestring, grainidhash, grainidn0, grainidn1,
             grainidextensionstring, payloadjson, payloadbinary, version)
        values
            (p_serviceid, p_graintypehash, p_graintypestring, p_grainidhash, p_grainidn0, p_grainidn1,
             p_grainidextensionstring, v_json, v_binary, 1)
        on conflict (grainidhash, graintypehash, serviceid, grainidn0, grainidn1, graintypestring,
                     grainidextensionstring)
        do nothing
        returning version into v_version;
        return v_version;
    end if;

    update public.orleansstorage
       set payloadjson = v_json,
           payloadbinary = v_binary,
           version = case when version = 2147483647 then 1 else version + 1 end,
           modifiedon = now()
     where grainidhash = p_grainidhash and graintypehash = p_graintypehash
       and serviceid = p_serviceid and grainidn0 = p_grainidn0 and grainidn1 = p_grainidn1
       and graintypestring = p_graintypestring
       and grainidextensionstring is not distinct from p_grainidextensionstring
       and version = p_grainstateversion
    returning version into v_version;
    return v_version;
end
$fn$;

-- Clears the state but keeps the row (and a bumped version), so a later stale write still conflicts.
create function public.orleans_storage_clear(
    p_grainidhash int, p_grainidn0 bigint, p_grainidn1 bigint, p_graintypehash int,
    p_graintypestring text, p_grainidextensionstring text, p_serviceid text,
    p_grainstateversion int)
returns int
language plpgsql
as $fn$
declare
    v_version int;
begin
    update public.orleansstorage
       set payloadjson = null,
           payloadbinary = null,
           version = case when version = 2147483647 then 1 else version + 1 end,
           modifiedon = now()
     where grainidhash = p_grainidhash and graintypehash = p_graintypehash
       and serviceid = p_serviceid and grainidn0 = p_grainidn0 and grainidn1 = p_grainidn1
       and graintypestring = p_graintypestring
       and grainidextensionstring is not distinct from p_grainidextensionstring
       and version = p_grainstateversion
    returning version into v_version;
    return v_version;
end
$fn$;

-- Deletes the row (used instead of clear when AdoNetGrainStorageOptions.DeleteStateOnClear = true).
create function public.orleans_storage_delete(
    p_grainidhash int, p_grainidn0 bigint, p_grainidn1 bigint, p_graintypehash int,
    p_graintypestring text, p_grainidextensionstring text, p_serviceid text,
    p_grainstateversion int)
returns int
language plpgsql
as $fn$
declare
    v_version int;
begin
    delete from public.orleansstorage
     where grainidhash = p_grainidhash and graintypehash = p_graintypehash
       and serviceid = p_serviceid and grainidn0 = p_grainidn0 and grainidn1 = p_grainidn1
       and graintypestring = p_graintypestring
       and grainidextensionstring is not distinct from p_grainidextensionstring
       and version = p_grainstateversion
    returning case when version = 2147483647 then 1 else version + 1 end into v_version;
    return v_version;
end
$fn$;

insert into public.orleansquery (querykey, querytext) values
('ReadFromStorageKey', $q$
select coalesce(convert_to(payloadjson::text, 'UTF8'), payloadbinary) as "PayloadBinary",
       version as "Version"
  from public.orleansstorage
 where grainidhash = @GrainIdHash and graintypehash = @GrainTypeHash
   and serviceid = @ServiceId and grainidn0 = @GrainIdN0 and grainidn1 = @GrainIdN1
   and graintypestring = @GrainTypeString
   and grainidextensionstring is not distinct from @GrainIdExtensionString
$q$),

('WriteToStorageKey', $q$
select public.orleans_storage_write(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
    @ServiceId, @GrainStateVersion, @PayloadBinary) as "NewGrainStateVersion"
$q$),

('ClearStorageKey', $q$
select public.orleans_storage_clear(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
    @ServiceId, @GrainStateVersion) as "NewGrainStateVersion"
$q$),

('DeleteStorageKey', $q$
select public.orleans_storage_delete(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
    @ServiceId, @GrainStateVersion) as "NewGrainStateVersion"
$q$);
