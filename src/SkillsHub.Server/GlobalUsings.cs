// Namespaces most of the server's files use, imported once for the project.
global using System.Globalization;
global using System.Security.Claims;
global using System.Text;
global using Dapper;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Npgsql;
global using SkillsHub.Server.Platform;
