-- Orleans ADO.NET reminders on PostgreSQL.
-- Written for SkillsHub from the providers' documented contract (query keys, named parameters and
-- result columns of Microsoft.Orleans.Reminders.AdoNet 10.4.x), not copied from the Orleans scripts.
--
-- Contract notes:
-- * Parameters: @ServiceId, @GrainId (GrainId.ToString(), e.g. "type/key"), @ReminderName text;
--   @GrainHash/@BeginHash/@EndHash int (the uint ring hashes cast to signed int);
--   @StartTime DbType.DateTime (timestamptz, UTC); @Period int or bigint milliseconds (bigint column);
--   @Version int (the etag).
-- * Read queries return GrainId, ReminderName, StartTime, Period, Version.
-- * Range reads: the provider picks ReadRangeRows1Key when (int)begin < (int)end, i.e. the range
--   (begin, end] does not wrap in signed order; otherwise ReadRangeRows2Key, the wrapped range
--   (begin, max] + [min, end] (begin = end means the whole ring).
-- * Upsert returns the new Version (etag); delete returns one boolean: deleted with a matching etag.

create table public.orleansremindertable (
    serviceid    text not null,
    grainid      text not null,
    remindername text not null,
    starttime    timestamptz not null,
    period       bigint not null,
    grainhash    int not null,
    version      int not null,
    primary key (serviceid, grainid, remindername)
);

create index orleansremindertable_hash on public.orleansremindertable (serviceid, grainhash);

insert into public.orleansquery (querykey, querytext) values
('ReadReminderRowsKey', $q$
select grainid as "GrainId", remindername as "ReminderName", starttime as "StartTime",
       period as "Period", version as "Version"
  from public.orleansremindertable
 where serviceid = @ServiceId and grainid = @GrainId
$q$),

('ReadReminderRowKey', $q$
select grainid as "GrainId", remindername as "ReminderName", starttime as "StartTime",
       period as "Period", version as "Version"
  from public.orleansremindertable
 where serviceid = @ServiceId and grainid = @GrainId and remindername = @ReminderName
$q$),

('ReadRangeRows1Key', $q$
select grainid as "GrainId", remindername as "ReminderName", starttime as "StartTime",
       period as "Period", version as "Version"
  from public.orleansremindertable
 where serviceid = @ServiceId and grainhash > @BeginHash and grainhash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
select grainid as "GrainId", remindername as "ReminderName", starttime as "StartTime",
       period as "Period", version as "Version"
  from public.orleansremindertable
 where serviceid = @ServiceId and (grainhash > @BeginHash or grainhash <= @EndHash)
$q$),

('UpsertReminderRowKey', $q$
insert into public.orleansremindertable as r
       (serviceid, grainid, remindername, starttime, period, grainhash, version)
values (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
on conflict (serviceid, grainid, remindername) do update
   set starttime = excluded.starttime,
       period    = excluded.period,
       grainhash = excluded.grainhash,
       version   = case when r.version = 2147483647 then 0 else r.version + 1 end
returning version as "Version"
$q$),

('DeleteReminderRowKey', $q$
with deleted as (
    delete from public.orleansremindertable
     where serviceid = @ServiceId and grainid = @GrainId
       and remindername = @ReminderName and version = @Version
    returning 1
)
select exists (select 1 from deleted) as "Deleted"
$q$),

('DeleteReminderRowsKey', $q$
delete from public.orleansremindertable where serviceid = @ServiceId
$q$);
