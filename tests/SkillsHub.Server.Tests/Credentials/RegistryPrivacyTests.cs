using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests.Credentials;

/// <summary>
/// The public registry cannot be read out by walking serial numbers (docs/security.md). The tests share a node
/// with the agencies set up once, each with its own candidates; the walk and the lookup-limit test have nodes of their own.
/// </summary>
[Collection(ServerCollection.Credentials)]
public sealed class RegistryPrivacyTests(PostgresFixture postgres, CredentialTests.AgenciesNode shared) : IClassFixture<CredentialTests.AgenciesNode>
{
    /// <summary>
    /// Found by an outside tester: by number alone the lookup said whether a certificate existed, with its status,
    /// occupation, level and dates, so walking the serials read the registry out. Now a number alone, a wrong token and a
    /// wrong name each answer the same for an issued number as for a free one (docs/security.md, "What is public").
    /// </summary>
    [Fact]
    public async Task Walking50Serials_Anonymously_TellsIssuedNumbersFromFreeOnesInNoWay()
    {
        // A node of its own: the walk spends one disclosure attempt of each number, which the other tests' budgets would feel.
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), LenientLookups);
        await SetUpAgenciesAsync(node);
        var (_, numbers) = await IssuedAsync(node, 6);
        // Every holder's name on the node (this test's six and any another test issued): none may show.
        var names = new List<string>();
        await using (var connection = await node.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync())
        await using (var command = new Npgsql.NpgsqlCommand("select holder_name from skillshub.certificates", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }
        Assert.True(names.Count >= 6);

        using var anonymous = node.Client();
        var prefix = numbers[0][..16];
        var answers = new HashSet<string>();
        for (var serial = 1; serial <= 50; serial++)
        {
            var number = $"{prefix}{serial:000000}";
            // What each request answers, its status and body, with the number and the request's trace id taken out.
            async Task<string> Answer(Task<HttpResponseMessage> request)
            {
                var response = await request;
                var body = await response.Content.ReadAsStringAsync();
                foreach (var name in names)
                {
                    Assert.DoesNotContain(name, body);
                }
                return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {StripTrace(body).Replace(number, "N", StringComparison.Ordinal)}";
            }
            var seen = string.Join("\n", [
                await Answer(anonymous.GetAsync($"/api/certificates/{number}")),
                await Answer(anonymous.GetAsync($"/api/certificates/{number}?t=AAAAAAAAAAAAAAAAAAAAAA")),
                // A made-up name for each number: one name walked along the serials is stopped after its budget, the same way
                // for every number (AName_WalkedAlongTheSerials_…).
                await Answer(anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { name = $"Nobody Walker{(char)('A' + serial % 26)}{(char)('A' + serial / 26)}" })),
                await Answer(anonymous.GetAsync($"/api/certificates/{number}/pdf")),
                await Answer(anonymous.GetAsync($"/api/credentials/{number}")),
                await Answer(anonymous.GetAsync($"/api/credentials/{number}?format=json&t=AAAAAAAAAAAAAAAAAAAAAA")),
            ]);
            answers.Add(seen);
        }
        // One set of answers for the 50 numbers, whether issued or not: a 400 naming t wherever no token came (the record,
        // the PDF, the credential), 404s for a wrong token or name.
        var only = Assert.Single(answers).Split('\n');
        Assert.All(new[] { only[0], only[3], only[4] }, line => Assert.StartsWith("400 application/problem+json", line));
        Assert.All(new[] { only[0], only[3], only[4] }, line => Assert.Contains("\"t\"", line));
        Assert.All(new[] { only[1], only[2], only[5] }, line => Assert.StartsWith("404 ", line));
    }

    /// <summary>The holder's name and full ID number of a certificate, as stored.</summary>
    static async Task<(string Name, string IdNumber)> HolderOfAsync(SkillsHubNode node, string number)
    {
        await using var connection = await node.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("select holder_name, id_number from skillshub.certificates where number = @number", connection);
        command.Parameters.AddWithValue("number", number);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }

    [Fact]
    public async Task TheHoldersName_TheIdsLast4_OrTheQrToken_ShowTheFullRecord()
    {
        var node = shared.Node;
        var (_, numbers) = await IssuedAsync(node, 1, offset: 100);
        var number = numbers[0];
        var (name, idNumber) = await HolderOfAsync(node, number);
        using var anonymous = node.Client();
        var token = node.Services.GetRequiredService<RegistryTokens>().For(number);

        async Task<JsonElement> Disclose(object body, HttpStatusCode expected)
        {
            var response = await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", body);
            Assert.Equal(expected, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        var byName = await Disclose(new { name = name.ToUpperInvariant() }, HttpStatusCode.OK);
        Assert.Equal(name, byName.GetProperty("holderName").GetString());
        var byId = await Disclose(new { idLast4 = idNumber[^4..] }, HttpStatusCode.OK);
        Assert.Equal(name, byId.GetProperty("holderName").GetString());
        // A disclosure answers the record, not the access token that opens the PDF (the photo) and the credential: one of
        // 10,000 ID endings must not open them (found by an outside tester). Nor does a search by name and ID number.
        var found = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name, idNumber });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var searched = JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.Clone();
        foreach (var answer in new[] { byName, byId, searched[0] })
        {
            Assert.False(answer.TryGetProperty("accessToken", out var leaked) && leaked.ValueKind != JsonValueKind.Null, answer.ToString());
            Assert.DoesNotContain(token, answer.ToString());
        }
        // A wrong guess answers like an unknown certificate, and shows nothing.
        var wrong = await Disclose(new { name = "Someone Else", idLast4 = "0000" }, HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, wrong.ToString());
        // Both given, both must match: the right name with a wrong ID ending is a wrong proof (found by an outside tester).
        Assert.DoesNotContain(name, (await Disclose(new { name, idLast4 = "0000" }, HttpStatusCode.NotFound)).ToString());
        Assert.Equal(name, (await Disclose(new { name, idLast4 = idNumber[^4..] }, HttpStatusCode.OK)).GetProperty("holderName").GetString());
        var byToken = await anonymous.GetFromJsonAsync<JsonElement>($"/api/certificates/{number}?t={token}");
        Assert.Equal(name, byToken.GetProperty("holderName").GetString());
        // The token opens the PDF and the credential; the credential carries the verify link with the token.
        Assert.Equal("application/pdf", (await anonymous.GetAsync($"/api/certificates/{number}/pdf?t={token}")).Content.Headers.ContentType?.MediaType);
        var credential = await anonymous.GetStringAsync($"/api/credentials/{number}?format=json&t={token}");
        Assert.Contains($"/verify/{number}?t={token}", credential);
        Assert.Contains(name, credential);
    }

    /// <summary>
    /// Each certificate takes a bounded number of wrong proofs, whatever client sends them. Right ones spend nothing (found
    /// by an outside tester: the budget left after a holder's own checks told an issued number from a free one), and a
    /// wrong one answers no sooner for an issued number than for a free one (the tester timed that difference).
    /// </summary>
    [Fact]
    public async Task WrongProofs_AreCappedPerCertificate_RightOnesSpendNothing_AndMissesAreNotSooner()
    {
        var node = shared.Node;
        var (_, numbers) = await IssuedAsync(node, 2, offset: 200);
        var (number, other) = (numbers[0], numbers[1]);
        var (name, idNumber) = await HolderOfAsync(node, number);
        using var anonymous = node.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { name })).StatusCode);
        }
        var minimum = node.Services.GetRequiredService<ProofPacing>().Minimum;
        Assert.True(minimum >= TimeSpan.FromMilliseconds(20), minimum.ToString());
        foreach (var miss in new[] { number, $"{number[..16]}999999" })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync($"/api/certificates/{miss}/disclose", new { name = "Nobody Timed" })).StatusCode);
            Assert.True(clock.Elapsed >= minimum, $"{miss}: {clock.Elapsed}");
        }
        // Never sooner, however the timer falls (found by an outside tester: 41 of 200 answers came before 25 ms).
        for (var i = 0; i < 20; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = $"Pace Name{i}", idNumber = $"PACE{i:00000}" })).StatusCode);
            Assert.True(clock.Elapsed >= minimum, $"search {i}: {clock.Elapsed}");
        }

        // An ending that cannot be one (not 4 letters or digits) is refused naming the field, and is no attempt: it spends
        // none of the budget (found by an outside tester: ten requests of "1" locked the record for an hour).
        foreach (var malformed in new[] { "1", "12", "12345", "12-4", "１２３" })
        {
            var refused = await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { idLast4 = malformed });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("idLast4", out _), malformed);
        }
        // Ten wrong proofs in all (the default budget; one spent above), then even the right one is refused.
        var wrong = Enumerable.Range(0, 10_000).Select(i => i.ToString("0000")).Where(e => e != idNumber[^4..]).Take(9);
        foreach (var ending in wrong)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { idLast4 = ending })).StatusCode);
        }
        var spent = await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { idLast4 = idNumber[^4..] });
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
        Assert.True(spent.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", spent.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(name, await spent.Content.ReadAsStringAsync());
        await AssertATooManyRequestsProblemAsync(spent);

        // Another certificate is not held up, and the QR code's token still opens this one.
        var otherView = await anonymous.GetFromJsonAsync<JsonElement>($"/api/certificates/{other}?t={node.Services.GetRequiredService<RegistryTokens>().For(other)}");
        var otherName = otherView.GetProperty("holderName").GetString();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync($"/api/certificates/{other}/disclose", new { name = otherName })).StatusCode);
        var token = node.Services.GetRequiredService<RegistryTokens>().For(number);
        Assert.Equal(name, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/certificates/{number}?t={token}")).GetProperty("holderName").GetString());

        // A malformed number has no budget: it answers the one 404 however often it is asked (found by an outside tester:
        // all malformed numbers shared one budget, so ten typos answered every other typo 429 for an hour).
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync($"/api/certificates/Q{i}98519776/disclose", new { idLast4 = "1234" })).StatusCode);
        }
    }

    /// <summary>
    /// Found by an outside tester: a common name (王伟, borne by some 300,000 people) walked along the serials opened every
    /// record of a holder with that name, one permit of each number's budget at a time. A name given as the proof now
    /// spends the name's budget too, the one its searches spend (docs/security.md, "What is public"): after ten wrong
    /// proofs under any spelling of it, the name is refused whatever the number, issued or free, while the ID's ending and
    /// other names still open records.
    /// </summary>
    [Fact]
    public async Task AName_WalkedAlongTheSerials_IsStoppedAfterItsBudget_WhateverTheNumbers()
    {
        var node = shared.Node;
        var (_, numbers) = await IssuedAsync(node, 2, offset: 700);
        var (name, idNumber) = await HolderOfAsync(node, numbers[0]);
        var (otherName, _) = await HolderOfAsync(node, numbers[1]);
        Assert.NotEqual(HolderPrivacy.NameKey(name), HolderPrivacy.NameKey(otherName));
        using var anonymous = node.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync($"/api/certificates/{numbers[0]}/disclose", new { name })).StatusCode);
        }
        var prefix = numbers[0][..16];
        for (var i = 0; i < 10; i++)
        {
            var spelling = i % 2 == 0 ? $" {name.ToUpperInvariant()}  " : name;
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync($"/api/certificates/{prefix}{900_000 + i:000000}/disclose", new { name = spelling })).StatusCode);
        }
        foreach (var number in new[] { numbers[0], $"{prefix}900050" })
        {
            var spent = await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { name });
            Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
            var body = await spent.Content.ReadAsStringAsync();
            Assert.Contains("too-many-attempts-for-this-name", body);
            Assert.DoesNotContain(name, body);
            await AssertATooManyRequestsProblemAsync(spent);
        }
        // The refusal spent nothing of the certificate's own budget: the ID's ending opens it, and another name its own.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync($"/api/certificates/{numbers[0]}/disclose", new { idLast4 = idNumber[^4..] })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync($"/api/certificates/{numbers[1]}/disclose", new { name = otherName })).StatusCode);
    }

    /// <summary>Found by an outside tester: these two limits' 429s had no type, unlike every other status, nor retryAfter.</summary>
    static async Task AssertATooManyRequestsProblemAsync(HttpResponseMessage refused)
    {
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        Assert.Equal((int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, problem.GetProperty("retryAfter").GetInt32());
    }

    /// <summary>
    /// Found by outside testers: the search by name and full ID number had no per-holder cap, so guesses from many
    /// addresses went on until one hit; then the budget left after the holder's own searches told a real name from a
    /// made-up one, and names tried against one ID number had no cap at all. Now each holder name and each ID number
    /// takes a bounded number of wrong searches, and right ones spend nothing.
    /// </summary>
    [Fact]
    public async Task WrongHolderSearches_AreCappedPerNameAndPerIdNumber_RightOnesSpendNothing()
    {
        var node = shared.Node;
        var (_, numbers) = await IssuedAsync(node, 2, offset: 300);
        var (name, idNumber) = await HolderOfAsync(node, numbers[0]);
        using var anonymous = node.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name, idNumber })).StatusCode);
        }
        // Per ID number: ten made-up names, then even the holder's own is refused for that ID.
        var (otherName, otherId) = await HolderOfAsync(node, numbers[1]);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = $"Guess Name{i}", idNumber = otherId })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = otherName, idNumber = otherId })).StatusCode);
        // Per name: ten wrong IDs (the default budget), under spellings that compare as one; then even the right one is refused.
        for (var i = 0; i < 10; i++)
        {
            var spelling = i % 2 == 0 ? $"  {name.ToLowerInvariant()} " : name;
            var miss = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = spelling, idNumber = $"Z{i:0000000}" });
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        }
        var spent = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name, idNumber });
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
        Assert.True(spent.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.DoesNotContain(idNumber, await spent.Content.ReadAsStringAsync());
        await AssertATooManyRequestsProblemAsync(spent);
        // A name nobody holds is capped the same way, so the cap says nothing of whether the holder exists.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "Nobody Atall", idNumber = $"Z{i:0000000}" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "Nobody Atall", idNumber = "Z9999999" })).StatusCode);
    }

    /// <summary>
    /// Found by an outside tester: the search by name and full ID matched the name exactly (case and spacing), while the
    /// name proof of a disclosure ignores them; and an unknown ID type was refused naming idNumber.
    /// </summary>
    [Fact]
    public async Task HolderSearch_ComparesNamesAsTheNameProofDoes_AndNamesAnUnknownIdType()
    {
        var node = shared.Node;
        var (_, numbers) = await IssuedAsync(node, 1, offset: 400);
        var (name, idNumber) = await HolderOfAsync(node, numbers[0]);
        using var anonymous = node.Client();
        var respelt = $"  {name.ToLowerInvariant().Replace(" ", "   ", StringComparison.Ordinal)} ";
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync($"/api/certificates/{numbers[0]}/disclose", new { name = respelt })).StatusCode);

        var found = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = respelt, idNumber, idType = "passport" });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var certificate = Assert.Single((await found.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Equal((numbers[0], name), (certificate.GetProperty("number").GetString(), certificate.GetProperty("holderName").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = name + "x", idNumber })).StatusCode);

        var bogus = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name, idNumber, idType = "bogus" });
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        var problem = await bogus.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("idType", problem.GetProperty("field").GetString());
        Assert.Equal(["idType"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task TheLookupLimit_CountsIpv4AndIpv6LoopbackAsOneClient()
    {
        // A node of its own: a lookup limit of 4, on two loopback addresses.
        var v4 = TestNode.FreePort();
        var v6 = TestNode.FreePort();
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(),
            $"--urls=http://127.0.0.1:{v4};http://[::1]:{v6}", "--Certification:Lookup:PermitLimit=4", "--Certification:Lookup:WindowSeconds=600");
        using var overV4 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{v4}") };
        using var overV6 = new HttpClient { BaseAddress = new Uri($"http://[::1]:{v6}") };
        const string Path = "/api/certificates/S000031000001255000001?t=AAAAAAAAAAAAAAAAAAAAAA";
        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { overV4, overV6, overV4, overV6, overV6, overV4 })
        {
            statuses.Add((await client.GetAsync(Path)).StatusCode);
        }
        // One budget of 4 for the machine, whichever loopback address it uses.
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
