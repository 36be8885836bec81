namespace SkillsHub.Server.Platform;

/// <summary>
/// Endpoint metadata for a 201 that carries what it created but no <c>Location</c>, because it has no address of its own
/// (an appointment): the API contract (Hosting/OpenApiContract.cs) then promises none (found by an outside tester: it
/// promised one).
/// </summary>
public sealed class CreatedWithoutLocation;
