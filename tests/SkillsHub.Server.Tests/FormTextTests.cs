using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Text in forms as it is stored (docs/security.md, "Files and text"): trimmed and NFC-normalised wherever it is kept,
/// optional text left blank taken as not given, and one rule for every too-long name. Found by an outside tester.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class FormTextTests(NodeFixture shared) : IClassFixture<NodeFixture>
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

    /// <summary>
    /// A password longer than a sign-in can carry is refused when the account is made (found by an outside tester: a
    /// 20,000-letter password was taken, and its sign-in was refused as too large for good); the longest one taken, in
    /// characters outside the first plane (12 bytes each as JSON escapes), signs in.
    /// </summary>
    [Fact]
    public async Task APassword_IsAtMostWhatASignInCarries()
    {
        var admin = await MarkingScenario.SignInAsync(shared.Node, "admin-optional-text", ["Admin"]);
        var tooLong = await admin.PostAsJsonAsync("/api/accounts", new
        {
            userName = "long-pw-" + Guid.NewGuid().ToString("N")[..8],
            password = string.Concat(Enumerable.Range(0, Domain.Text.SignInText.MaxPasswordLength + 1).Select(i => (char)('a' + i % 26))),
            roles = new[] { "Organiser" },
        });
        Assert.True((await Answer(tooLong, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("password", out _));
        var userName = "longest-pw-" + Guid.NewGuid().ToString("N")[..8];
        var longest = string.Concat(Enumerable.Range(0, Domain.Text.SignInText.MaxPasswordLength).Select(i => char.ConvertFromUtf32(0x20000 + i)));
        await Answer(await admin.PostAsJsonAsync("/api/accounts", new { userName, password = longest, roles = new[] { "Organiser" } }), HttpStatusCode.Created);
        using var client = shared.Node.Client();
        var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            // Every character written as a JSON escape pair, as a client may: the longest body a sign-in meets.
            Content = new StringContent($$"""{"userName":"{{userName}}","password":"{{string.Concat(longest.Select(c => $"\\u{(int)c:x4}"))}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(signIn)).StatusCode);
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

    /// <summary>
    /// A competition's name, Chinese name, city and country were stored as sent ("  Probe Three  "), while skill,
    /// competitor and person names are stored trimmed: they are normalised alike, a blank Chinese name is none.
    /// </summary>
    [Fact]
    public async Task ACompetitionsText_IsStoredTrimmedAndNormalised_AsOtherNamesAre()
    {
        var organiser = await MarkingScenario.SignInAsync(shared.Node, "organiser-optional-text", ["Organiser"]);
        var code = NodeFixture.NewCode();
        var sent = new { code = " " + code.ToLowerInvariant() + " ", name = "  Probe Three  ", nameZh = "   ", city = " Lyon\u00A0", country = " France ", startsOn = "2026-09-01", endsOn = "2026-09-05" };
        var created = await Answer(await organiser.PostAsJsonAsync("/api/competitions", sent), HttpStatusCode.Created);
        Assert.Equal(("Probe Three", "Lyon", "France", JsonValueKind.Null),
            (created.GetProperty("name").GetString(), created.GetProperty("city").GetString(), created.GetProperty("country").GetString(), created.GetProperty("nameZh").ValueKind));
        var listed = (await organiser.GetFromJsonAsync<JsonElement>("/api/competitions")).EnumerateArray().Single(c => c.GetProperty("code").GetString() == code);
        Assert.Equal(("Probe Three", "Lyon", "France", JsonValueKind.Null),
            (listed.GetProperty("name").GetString(), listed.GetProperty("city").GetString(), listed.GetProperty("country").GetString(), listed.GetProperty("nameZh").ValueKind));
        Assert.Equal("Probe Three", (await organiser.GetFromJsonAsync<JsonElement>($"/api/competitions/{code}")).GetProperty("name").GetString());
        // The same competition sent again, spaced otherwise, is the one on file (200), not a different one (409).
        await Answer(await organiser.PostAsJsonAsync("/api/competitions", sent with { name = "Probe Three", nameZh = "" }), HttpStatusCode.OK);
        // A Chinese name is kept, trimmed.
        var other = NodeFixture.NewCode();
        var zh = await Answer(await organiser.PostAsJsonAsync("/api/competitions", new { code = other, name = "Probe Four", nameZh = " 第四届 ", city = "Lyon", country = "France" }), HttpStatusCode.Created);
        Assert.Equal("第四届", zh.GetProperty("nameZh").GetString());
        // The city and country in Chinese, for the Chinese pages: as given, trimmed; a country left without one takes the
        // WorldSkills member's Chinese name (found by an outside tester: "Shanghai, China" on the Chinese landing page).
        var shanghai = NodeFixture.NewCode();
        var inChinese = await Answer(await organiser.PostAsJsonAsync("/api/competitions", new { code = shanghai, name = "Probe Five", city = "Shanghai", country = "china", cityZh = " 上海 " }), HttpStatusCode.Created);
        Assert.Equal(("上海", "中国"), (inChinese.GetProperty("cityZh").GetString(), inChinese.GetProperty("countryZh").GetString()));
        var listedZh = (await organiser.GetFromJsonAsync<JsonElement>("/api/competitions")).EnumerateArray().Single(c => c.GetProperty("code").GetString() == shanghai);
        Assert.Equal(("上海", "中国"), (listedZh.GetProperty("cityZh").GetString(), listedZh.GetProperty("countryZh").GetString()));
        await Answer(await organiser.PostAsJsonAsync("/api/competitions", new { code = shanghai, name = "Probe Five", city = "Shanghai", country = "china", cityZh = "上海" }), HttpStatusCode.OK);
        var unknownCountry = await Answer(await organiser.PostAsJsonAsync("/api/competitions", new { code = NodeFixture.NewCode(), name = "Probe Six", city = "Atlantis", country = "Atlantis" }), HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, unknownCountry.GetProperty("countryZh").ValueKind);
        // A missing city or country names itself (a missing country was reported as the city).
        foreach (var (body, field) in new (object, string)[] { (new { code = NodeFixture.NewCode(), name = "P", city = "Lyon" }, "country"), (new { code = NodeFixture.NewCode(), name = "P", country = "France" }, "city") })
        {
            var refused = await Answer(await organiser.PostAsJsonAsync("/api/competitions", body), HttpStatusCode.UnprocessableEntity);
            Assert.Equal([field], refused.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }
    }

    /// <summary>
    /// Found by an outside tester: a token name of 101 to 200 characters got "Name the token (1 to 100 characters)",
    /// a longer one the text rule's "At most 200". A field with a limit of its own has one rule for every length past
    /// it: 422 naming the field, code text.too-long's message with the field's limit.
    /// </summary>
    [Fact]
    public async Task ATooLongName_GetsOneAnswer_WhateverItsLength()
    {
        var organiser = await MarkingScenario.SignInAsync(shared.Node, "organiser-optional-text", ["Organiser"]);
        async Task<(string?, string?, string?)> TooLong(HttpResponseMessage response)
        {
            var problem = await Answer(response, HttpStatusCode.UnprocessableEntity);
            var field = problem.GetProperty("field").GetString();
            var message = problem.GetProperty("errors").GetProperty(field!)[0].GetString()!;
            return (field, problem.GetProperty("code").GetString(), message[..message.IndexOf('(', StringComparison.Ordinal)]);
        }
        var answers = new List<(string?, string?, string?)>();
        foreach (var length in new[] { 101, 150, 200, 201, 250, 5000 })
        {
            answers.Add(await TooLong(await organiser.PostAsJsonAsync("/api/me/tokens", new { name = new string('t', length) })));
        }
        Assert.Equal([("name", "input-not-accepted", "At most 100 characters ")], answers.Distinct());
        // A hundred characters as people count them (an emoji is one) is a name; none is not.
        Assert.Equal(HttpStatusCode.Created, (await organiser.PostAsJsonAsync("/api/me/tokens", new { name = string.Concat(Enumerable.Repeat("\U0001F511", 100)) })).StatusCode);
        Assert.Equal("name", (await Answer(await organiser.PostAsJsonAsync("/api/me/tokens", new { name = "  " }), HttpStatusCode.BadRequest)).GetProperty("field").GetString());

        // The same for an exam session's work type (at most 100 characters).
        const string agency = "S000031000078";
        await shared.Node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(agency), "Text rule test agency",
            [(Certification.CertificationScenario.Welder, SkillLevel.Level5)], default);
        var officer = await MarkingScenario.SignInAsync(shared.Node, "officer-optional-text", [Security.Roles.AgencyOfficer], agency);
        var workTypes = new List<(string?, string?, string?)>();
        foreach (var length in new[] { 101, 250 })
        {
            workTypes.Add(await TooLong(await officer.PostAsJsonAsync("/api/agency/sessions",
                new { occupation = Certification.CertificationScenario.Welder, workType = new string('w', length), level = 5, examOn = "2025-06-01" })));
        }
        Assert.Equal([("workType", "input-not-accepted", "At most 100 characters ")], workTypes.Distinct());
    }
}
