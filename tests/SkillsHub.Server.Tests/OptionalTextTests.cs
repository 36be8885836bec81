using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Text in forms as it is stored (docs/security.md, "Files and text"): trimmed and NFC-normalised wherever it is kept,
/// optional text left blank taken as not given, and one rule for every too-long name. Found by an outside tester.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class OptionalTextTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    static async Task<JsonElement> Answer(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A blank display name was stored as "" (an absent one falls back to the user name): blank is absent.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u00A0 \u3000")]
    public async Task ABlankDisplayName_IsTheUserName(string blank)
    {
        var admin = await MarkingScenario.SignInAsync(shared.Node, "admin-optional-text", ["Admin"]);
        var userName = "blank-display-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Answer(await admin.PostAsJsonAsync("/api/accounts",
            new { userName, displayName = blank, password = "correct horse battery staple", roles = new[] { "Organiser" } }), HttpStatusCode.Created);
        Assert.Equal(userName, created.GetProperty("displayName").GetString());
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray().Single(a => a.GetProperty("userName").GetString() == userName);
        Assert.Equal(userName, listed.GetProperty("displayName").GetString());
        // Signed in, the account shows the same name.
        var own = await MarkingScenario.SignInAsync(shared.Node, userName, ["Organiser"]);
        Assert.Equal(userName, (await own.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task ADisplayName_IsStoredTrimmed()
    {
        var admin = await MarkingScenario.SignInAsync(shared.Node, "admin-optional-text", ["Admin"]);
        var userName = "trimmed-display-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Answer(await admin.PostAsJsonAsync("/api/accounts",
            new { userName, displayName = "  Anna Schmidt ", password = "correct horse battery staple", roles = new[] { "Organiser" } }), HttpStatusCode.Created);
        Assert.Equal("Anna Schmidt", created.GetProperty("displayName").GetString());
    }
}
