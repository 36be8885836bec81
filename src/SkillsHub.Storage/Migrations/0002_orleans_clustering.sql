-- Orleans ADO.NET clustering (membership) on PostgreSQL, plus the OrleansQuery table that every
-- Orleans ADO.NET provider reads its SQL from at startup ("SELECT QueryKey, QueryText FROM OrleansQuery").
-- Written for SkillsHub from the providers' documented contract (query keys, named parameters and
-- result columns of Microsoft.Orleans.Clustering.AdoNet 10.4.x), not copied from the Orleans scripts.
--
-- Contract notes:
-- * Parameters arrive typed from Npgsql: @DeploymentId/@SiloName/@HostName/@SuspectTimes text,
--   @Address text, @Port/@Generation/@Status/@ProxyPort/@Version int,
--   @StartTime/@IAmAliveTime DbType.DateTime (= timestamptz in Npgsql, UTC values).
-- * Read queries always return at least the version row (LEFT JOIN): the provider takes the table
--   version from the first row and treats a NULL StartTime as "no member".
-- * The etag of every member row is the table version; insert/update succeed only if @Version still
--   equals the stored version and then bump it by one (optimistic concurrency between silos).
-- * Status values: 3 = Active, 6 = Dead.

create table public.orleansquery (
    querykey  varchar(64) primary key,
    querytext text not null
);

create table public.orleansmembershipversiontable (
    deploymentid text primary key,
    timestamp    timestamptz not null default now(),
    version      int not null default 0
);

create table public.orleansmembershiptable (
    deploymentid text not null
        references public.orleansmembershipversiontable (deploymentid) on delete cascade,
    address      varchar(45) not null,
    port         int not null,
    generation   int not null,
    siloname     text not null,
    hostname     text not null,
    status       int not null,
    proxyport    int,
    suspecttimes text,
    starttime    timestamptz not null,
    iamalivetime timestamptz not null,
    primary key (deploymentid, address, port, generation)
);

-- Inserts a member row if the table version is still p_version and the row does not exist yet;
-- bumps the table version in the same transaction. Locking the version row serialises writers.
create function public.orleans_membership_insert(
    p_deploymentid text, p_address text, p_port int, p_generation int,
    p_siloname text, p_hostname text, p_status int, p_proxyport int,
    p_starttime timestamptz, p_iamalivetime timestamptz, p_version int)
returns boolean
language plpgsql
as $fn$
begin
    perform 1 from public.orleansmembershipversiontable
     where deploymentid = p_deploymentid and version = p_version
       for update;
    if not found then
        return false;
    end if;

    insert into public.orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport,
         suspecttimes, starttime, iamalivetime)
    values
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status, p_proxyport,
         null, p_starttime, p_iamalivetime)
    on conflict (deploymentid, address, port, generation) do nothing;
    if not found then
        return false;
    end if;

    update public.orleansmembershipversiontable
       set version = version + 1, timestamp = now()
     where deploymentid = p_deploymentid;
    return true;
end
$fn$;

-- Updates a member row if the table version is still p_version; bumps the table version.
create function public.orleans_membership_update(
    p_deploymentid text, p_address text, p_port int, p_generation int,
    p_status int, p_suspecttimes text, p_iamalivetime timestamptz, p_version int)
returns boolean
language plpgsql
as $fn$
begin
    perform 1 from public.orleansmembershipversiontable
     where deploymentid = p_deploymentid and version = p_version
       for update;
    if not found then
        return false;
    end if;

    update public.orleansmembershiptable
       set status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
     where deploymentid = p_deploymentid and address = p_address
       and port = p_port and generation = p_generation;
    if not found then
        return false;
    end if;

    update public.orleansmembershipversiontable
       set version = version + 1, timestamp = now()
     where deploymentid = p_deploymentid;
    return true;
end
$fn$;

insert into public.orleansquery (querykey, querytext) values
('InsertMembershipVersionKey', $q$
with inserted as (
    insert into public.orleansmembershipversiontable (deploymentid)
    values (@DeploymentId)
    on conflict (deploymentid) do nothing
    returning 1
)
select exists (select 1 from inserted) as "Inserted"
$q$),

('MembershipReadAllKey', $q$
select v.deploymentid   as "DeploymentId",
       v.version        as "Version",
       m.address        as "Address",
       m.port           as "Port",
       m.generation     as "Generation",
       m.siloname       as "SiloName",
       m.hostname       as "HostName",
       m.status         as "Status",
       m.proxyport      as "ProxyPort",
       m.suspecttimes   as "SuspectTimes",
       m.starttime      as "StartTime",
       m.iamalivetime   as "IAmAliveTime"
  from public.orleansmembershipversiontable v
  left join public.orleansmembershiptable m on m.deploymentid = v.deploymentid
 where v.deploymentid = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
select v.deploymentid   as "DeploymentId",
       v.version        as "Version",
       m.address        as "Address",
       m.port           as "Port",
       m.generation     as "Generation",
       m.siloname       as "SiloName",
       m.hostname       as "HostName",
       m.status         as "Status",
       m.proxyport      as "ProxyPort",
       m.suspecttimes   as "SuspectTimes",
       m.starttime      as "StartTime",
       m.iamalivetime   as "IAmAliveTime"
  from public.orleansmembershipversiontable v
  left join public.orleansmembershiptable m
         on m.deploymentid = v.deploymentid
        and m.address = @Address and m.port = @Port and m.generation = @Generation
 where v.deploymentid = @DeploymentId
$q$),

('InsertMembershipKey', $q$
select public.orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
    @StartTime, @IAmAliveTime, @Version) as "Inserted"
$q$),

('UpdateMembershipKey', $q$
select public.orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version) as "Updated"
$q$),

('UpdateIAmAlivetimeKey', $q$
update public.orleansmembershiptable
   set iamalivetime = @IAmAliveTime
 where deploymentid = @DeploymentId and address = @Address
   and port = @Port and generation = @Generation
$q$),

('GatewaysQueryKey', $q$
select address    as "Address",
       proxyport  as "ProxyPort",
       generation as "Generation"
  from public.orleansmembershiptable
 where deploymentid = @DeploymentId and status = @Status and proxyport > 0
$q$),

-- Deletes the whole deployment (members go with it through the cascading foreign key).
('DeleteMembershipTableEntriesKey', $q$
delete from public.orleansmembershipversiontable where deploymentid = @DeploymentId
$q$),

-- Legacy bulk cleanup (used only when CleanupDefunctSiloEntryKey is absent): non-active rows
-- whose last heartbeat is older than the cutoff.
('CleanupDefunctSiloEntriesKey', $q$
delete from public.orleansmembershiptable
 where deploymentid = @DeploymentId and iamalivetime < @IAmAliveTime and status <> 3
$q$),

-- Per-row cleanup: the provider decides in .NET which Dead rows are past the cutoff and deletes each
-- only if its captured values are unchanged (so a row updated meanwhile is kept).
('CleanupDefunctSiloEntryKey', $q$
delete from public.orleansmembershiptable
 where deploymentid = @DeploymentId and address = @Address
   and port = @Port and generation = @Generation
   and status = 6
   and starttime = @StartTime and iamalivetime = @IAmAliveTime
   and coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '')
$q$);
