namespace SkillsHub.Server.Platform;

/// <summary>
/// Marks an answer that depends on who asks (a jury member's live standings of a hidden skill): private and revalidated,
/// so no shared cache stores it or hands it to anyone else (docs/pages.md, "Transfer"). The public read caching
/// (Hosting/TransferRegistration.cs) keeps this Cache-Control instead of its public one.
/// </summary>
public static class CallerDependent
{
    public const string CacheControl = "private, no-cache";

    public static void Mark(HttpContext context) => context.Response.Headers.CacheControl = CacheControl;

    public static bool IsMarked(HttpResponse response) => response.Headers.CacheControl.ToString() == CacheControl;

    /// <summary>
    /// Endpoint metadata of a public read that answers a skill's jury otherwise: the API document names the credentials
    /// that get that answer beside anonymous access (Hosting/OpenApiContract.Security.cs).
    /// </summary>
    public sealed record Answer;

    /// <summary>Declares the endpoint a public read whose answer depends on the caller (<see cref="Answer"/>).</summary>
    public static RouteHandlerBuilder AnswersByCaller(this RouteHandlerBuilder builder) => builder.WithMetadata(new Answer());

    /// <summary>For a URL answered differently by caller: caches key the answer by the caller's credentials.</summary>
    public static void VaryByCaller(HttpResponse response) => response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Cookie, Authorization");
}
