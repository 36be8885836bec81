using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SkillsHub.Server.Platform;

/// <summary>If-None-Match against a served ETag, by RFC 9110's weak comparison (section 8.8.3.2): W/"x" and "x" match.</summary>
public static class EntityTags
{
    /// <summary>The weak ETag of an answer's body: a hash of it, the same for every node.</summary>
    public static string WeakOf(ReadOnlySpan<byte> body) => $"W/\"{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(body), 0, 16)}\"";

    public static bool NoneMatchFails(StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParse(etag, out var served)
        && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(served, useStrongComparison: false));

    /// <summary>
    /// An If-None-Match list with every weak tag written strong (W/"x" as "x"), for a middleware that compares strongly;
    /// null when the header is not a valid list (left as sent). Only a tag's own W/ prefix goes: a base64 hash may hold
    /// "W/" inside its quotes (found by a test: a replace of every "W/" changed such a tag, and its 304 became a 200).
    /// </summary>
    public static string? WeakAsStrong(StringValues ifNoneMatch) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            ? string.Join(", ", tags.Select(t => t.IsWeak ? new EntityTagHeaderValue(t.Tag).ToString() : t.ToString()))
            : null;
}
