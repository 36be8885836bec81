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
    /// An If-None-Match value with every weak tag written strong (W/"x" as "x"), for the middlewares that compare strongly;
    /// null when the value is not one RFC 9110 (13.1.2) allows: "*" alone, or a list of quoted entity tags. A recipient
    /// ignores such a condition (found by an outside tester: "x*" and "\"x\", *" were read as "*", a 304 to a client that
    /// held no copy). Only a tag's own W/ prefix goes: a base64 hash may hold "W/" inside its quotes (found by a test: a
    /// replace of every "W/" changed such a tag, and its 304 became a 200).
    /// </summary>
    public static string? WeakAsStrong(StringValues ifNoneMatch)
    {
        if (ifNoneMatch.ToString().Trim() == "*")
        {
            return "*";
        }
        return EntityTagHeaderValue.TryParseStrictList(ifNoneMatch, out var tags) && tags is { Count: > 0 } && !tags.Any(t => t.Tag == "*")
            ? string.Join(", ", tags.Select(t => t.IsWeak ? new EntityTagHeaderValue(t.Tag).ToString() : t.ToString()))
            : null;
    }
}
