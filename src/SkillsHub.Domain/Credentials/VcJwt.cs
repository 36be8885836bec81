using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkillsHub.Domain.Credentials;

/// <summary>
/// A credential secured as a compact JWS (VC-JOSE-COSE §3.1.1): header <c>{"alg":"EdDSA","typ":"vc+jwt","cty":"vc","kid":...}</c>,
/// payload = the credential itself (no "vc" wrapper, VC 2.0). The signature covers the exact bytes
/// sent, so no canonicalization is needed. The signing itself is the caller's (keys are not pure).
/// </summary>
public static class VcJwt
{
    public const string Type = "vc+jwt";

    public static byte[] SigningInput(string keyId, JsonObject credential)
    {
        var header = new JsonObject { ["alg"] = "EdDSA", ["typ"] = Type, ["cty"] = "vc", ["kid"] = keyId };
        return Encoding.ASCII.GetBytes($"{Encode(header)}.{Encode(credential)}");
    }

    public static string Assemble(byte[] signingInput, ReadOnlySpan<byte> signature) => $"{Encoding.ASCII.GetString(signingInput)}.{Base64Url.Encode(signature)}";

    static string Encode(JsonNode node) => Base64Url.Encode(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public sealed record Parsed(JsonObject Header, JsonObject Payload, byte[] SigningInput, byte[] Signature);

    /// <summary>Splits and decodes a compact JWS; null with a reason when it is not one.</summary>
    public static Parsed? TryParse(string? jwt, out string? problem)
    {
        problem = null;
        var parts = jwt?.Trim().Split('.');
        if (parts is not { Length: 3 } || parts.Any(p => p.Length == 0))
        {
            problem = "Not a compact JWS (three base64url parts separated by dots).";
            return null;
        }
        try
        {
            var header = JsonNode.Parse(Base64Url.Decode(parts[0])) as JsonObject;
            var payload = JsonNode.Parse(Base64Url.Decode(parts[1])) as JsonObject;
            if (header is null || payload is null)
            {
                problem = "The JWS header and payload must be JSON objects.";
                return null;
            }
            return new Parsed(header, payload, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.Decode(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            problem = $"The JWS does not decode: {e.Message}";
            return null;
        }
    }
}
