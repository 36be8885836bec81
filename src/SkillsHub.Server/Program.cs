using SkillsHub.Server.Hosting;

// One process per node: Kestrel (API, SignalR, pages) + Orleans silo + Hangfire server, all on PostgreSQL.
// Everything is registered in Hosting/*; SkillsHubNode is also what the tests start.
return await SkillsHubNode.RunAsync(args);
