using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkillsHub.Domain.Credentials;

/// <summary>
/// A credential secured as a compact JWS (VC-JOSE-COSE §3.1.1): header <c>{"alg":"EdDSA","typ":"vc+jwt","cty":"vc","kid":...}</c>,
/// payload = the credential itself (no "vc" wrapper, VC 2.0) plus the JWT claims Open Badges 3.0 §8.2.4
/// requires, each taken from the credential: <c>iss</c> = issuer id, <c>sub</c> = credentialSubject id,
/// <c>jti</c> = id, <c>nbf</c> = validFrom, <c>exp</c> = validUntil when there is one. The signature covers the
/// exact bytes sent, so no canonicalization is needed. The signing itself is the caller's (keys are not pure);
/// why no JOSE library signs here is in docs/credentials.md.
/// </summary>
public static class VcJwt
{
    public const string Type = "vc+jwt";

    static readonly string[] Claims = ["iss", "sub", "jti", "nbf", "exp"];

    public static byte[] SigningInput(string keyId, JsonObject credential)
    {
        var header = new JsonObject { ["alg"] = "EdDSA", ["typ"] = Type, ["cty"] = "vc", ["kid"] = keyId };
        return Encoding.ASCII.GetBytes($"{Encode(header)}.{Encode(WithClaims(credential))}");
    }

    /// <summary>The JWT claims of <paramref name="credential"/> followed by the credential's own members.</summary>
    public static JsonObject WithClaims(JsonObject credential)
    {
        var payload = new JsonObject();
        foreach (var (name, value) in ExpectedClaims(credential))
        {
            payload[name] = value;
        }
        foreach (var (name, value) in credential)
        {
            if (!Claims.Contains(name))
            {
                payload[name] = value?.DeepClone();
            }
        }
        return payload;
    }

    /// <summary>The claims the credential's own fields determine (absent fields give no claim).</summary>
    public static IReadOnlyList<(string Name, JsonNode Value)> ExpectedClaims(JsonObject credential)
    {
        var claims = new List<(string, JsonNode)>();
        var issuer = credential["issuer"] switch
        {
            JsonObject o => o["id"]?.GetValue<string>(),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => null,
        };
        if (issuer is not null)
        {
            claims.Add(("iss", JsonValue.Create(issuer)));
        }
        if ((credential["credentialSubject"] as JsonObject)?["id"] is JsonValue subject && subject.TryGetValue<string>(out var sub))
        {
            claims.Add(("sub", JsonValue.Create(sub)));
        }
        if (credential["id"] is JsonValue id && id.TryGetValue<string>(out var jti))
        {
            claims.Add(("jti", JsonValue.Create(jti)));
        }
        if (NumericDate(credential["validFrom"]) is { } nbf)
        {
            claims.Add(("nbf", JsonValue.Create(nbf)));
        }
        if (NumericDate(credential["validUntil"]) is { } exp)
        {
            claims.Add(("exp", JsonValue.Create(exp)));
        }
        return claims;
    }

    /// <summary>The credential a payload carries: the payload without its JWT claims.</summary>
    public static JsonObject CredentialOf(JsonObject payload)
    {
        var credential = new JsonObject();
        foreach (var (name, value) in payload)
        {
            if (!Claims.Contains(name) && name != "iat")
            {
                credential[name] = value?.DeepClone();
            }
        }
        return credential;
    }

    /// <summary>Null when the payload's JWT claims agree with its credential; else what disagrees.</summary>
    public static string? ClaimMismatch(JsonObject payload)
    {
        var credential = CredentialOf(payload);
        foreach (var (name, expected) in ExpectedClaims(credential))
        {
            if (payload[name] is { } actual && !JsonNode.DeepEquals(actual, expected))
            {
                return $"The JWT claim {name} ({actual.ToJsonString()}) does not match the credential ({expected.ToJsonString()}).";
            }
        }
        return null;
    }

    static long? NumericDate(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.ToUnixTimeSeconds()
            : null;

    public static string Assemble(byte[] signingInput, ReadOnlySpan<byte> signature) => $"{Encoding.ASCII.GetString(signingInput)}.{Base64Url.EncodeToString(signature)}";

    /// <summary>
    /// JSON as written, without escaping what only HTML needs escaped (found by an outside tester: the header read
    /// <c>"typ":"vc\u002Bjwt"</c>, the same value to a JSON reader but not what a person or a plain text search expects).
    /// </summary>
    static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString(Plain)));

    public sealed record Parsed(JsonObject Header, JsonObject Payload, byte[] SigningInput, byte[] Signature);

    /// <summary>
    /// A key given twice in the header or payload is refused as malformed (RFC 7515 section 5.2 lets a verifier reject it;
    /// otherwise which value counts depends on the reader), so verification says "failed" rather than picking one.
    /// </summary>
    public static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Splits and decodes a compact JWS; null with a reason when it is not one.</summary>
    public static Parsed? TryParse(string? jwt, out string? problem)
    {
        problem = null;
        var parts = jwt?.Trim().Split('.');
        if (parts is not { Length: 3 } || parts.Any(p => p.Length == 0 || p.Contains('=')))
        {
            problem = "Not a compact JWS (three base64url parts without padding, separated by dots).";
            return null;
        }
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]), documentOptions: Strict) as JsonObject;
            var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]), documentOptions: Strict) as JsonObject;
            if (header is null || payload is null)
            {
                problem = "The JWS header and payload must be JSON objects.";
                return null;
            }
            return new Parsed(header, payload, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]));
        }
        catch (FormatException)
        {
            // In our own words, not the runtime's (docs/security.md: answers never repeat .NET's texts).
            problem = "The JWS does not decode: a part is not base64url.";
            return null;
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            problem = "The JWS does not decode: its header or payload is not JSON text.";
            return null;
        }
    }
}
