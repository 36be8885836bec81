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

    /// <summary>For a URL answered differently by caller: caches key the answer by the caller's credentials.</summary>
    public static void VaryByCaller(HttpResponse response) => response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Cookie, Authorization");
}
