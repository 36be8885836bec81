using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The setup imports refuse what they would read differently from how it was meant (docs/scoring.md, "Setup imports"):
/// 422 naming the row and field, and everything stored before stays exactly as it was. One node, a competition per test.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class SetupImportTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    const string FullSkill = "number,name_en,name_zh,sector,team_size,competitor_max_age\n7,CNC Milling,数控铣,Manufacturing,1,22\n";

    async Task<MarkingScenario> ScenarioAsync()
    {
        var s = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"/api/competitions/{s.Code}/skills", FullSkill, "text/csv")).StatusCode);
        return s;
    }

    static Task<HttpResponseMessage> Put(MarkingScenario s, string path, string body, string type) =>
        Put(s, path, Encoding.UTF8.GetBytes(body), type);

    static Task<HttpResponseMessage> Put(MarkingScenario s, string path, byte[] body, string type)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(type);
        return s.Organiser.PutAsync(path, content);
    }

    /// <summary>Everything the imports can change: the skill's names and limits, competitors, experts, scheme, marking groups.</summary>
    static async Task<string> Stored(MarkingScenario s)
    {
        var parts = new List<string> { await s.Organiser.GetStringAsync($"/api/competitions/{s.Code}/skills/07/") };
        foreach (var part in new[] { "competitors", "experts", "scheme", "marking-groups" })
        {
            parts.Add(await s.Organiser.GetStringAsync($"{s.Path}/{part}"));
        }
        return string.Join("\n", parts);
    }

    /// <summary>Sends the file, expects 422 with an error keyed <paramref name="key"/> (and code), and nothing stored changed.</summary>
    static async Task<JsonElement> Refused(MarkingScenario s, string path, byte[] body, string type, string key, string code)
    {
        var before = await Stored(s);
        var response = await Put(s, path, body, type);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), $"no error keyed '{key}': {text}");
        Assert.Contains(problem.GetProperty("rows").EnumerateArray(), r => r.GetProperty("code").GetString() == code);
        Assert.Equal(before, await Stored(s));
        return problem;
    }

    static Task<JsonElement> Refused(MarkingScenario s, string path, string body, string type, string key, string code) =>
        Refused(s, path, Encoding.UTF8.GetBytes(body), type, key, code);

    /// <summary>
    /// Marking groups that cannot complete a judgement aspect are named in the import's notes (docs/scoring.md, "Marking
    /// groups and judges"; found by an outside tester: a 5-judge skill took a group of 3 in silence). The scenario's group
    /// G2 holds exactly three experts for three judges, one French and one Korean: neither member's competitor can have
    /// B1.2 judged. With five judges, neither group is large enough for anyone.
    /// </summary>
    [Fact]
    public async Task MarkingGroupsThatCannotCompleteAJudgement_AreNamedInTheImportsNotes()
    {
        var s = await ScenarioAsync();
        static async Task<List<string>> Notes(HttpResponseMessage answer)
        {
            var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
            return [.. body.GetProperty("notes").EnumerateArray().Select(n =>
                $"{n.GetProperty("code").GetString()} {n.GetProperty("args").GetProperty("aspect").GetString()} {n.GetProperty("args").GetProperty("experts").GetString()}"
                + (n.GetProperty("args").TryGetProperty("member", out var m) ? " " + m.GetString() : ""))];
        }

        Assert.Equal(["marking.too-few-judges-for-member B1.2 2 FR", "marking.too-few-judges-for-member B1.2 2 KR"],
            await Notes(await Put(s, $"{s.Path}/marking-groups", MarkingScenario.GroupsCsv, "text/csv")));
        Assert.Equal(["marking.too-few-judges A1.2 4", "marking.too-few-judges B1.2 3"],
            await Notes(await Put(s, $"{s.Path}/scheme?judges=5", MarkingScenario.SchemeJson, "application/json")));
        Assert.Empty(await Notes(await Put(s, $"{s.Path}/scheme?judges=3&allowCompatriots=true", MarkingScenario.SchemeJson, "application/json")));
    }

    /// <summary>
    /// Found by an outside tester: a new scheme kept marking groups naming criteria it no longer had, so every expert of
    /// them was refused NotAssigned, and the same groups file was then refused for naming them. The scheme takes such
    /// targets out of their groups, removes a group left with none, and says so in its answer and its audit row.
    /// </summary>
    [Fact]
    public async Task ANewScheme_TakesTheTargetsItLacksOutOfTheMarkingGroups_AndSaysSo()
    {
        var s = await ScenarioAsync();
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"{s.Path}/marking-groups", "id,name,targets,experts\nG1,Mixed,A;B1.1,E-FR\nG2,Surface,A1.2,E-KR\n", "text/csv")).StatusCode);
        const string Scheme = """
            {"title":"Second scheme","criteria":[
              {"id":"B","name":"Presentation","subCriteria":[{"id":"B1","name":"Finish","aspects":[
                {"id":"B1.1","type":"M","description":"Deburred","markingDay":"C1","maxMark":60.00}]}]},
              {"id":"X","name":"New","subCriteria":[{"id":"X1","name":"New","aspects":[
                {"id":"X1.1","type":"M","description":"Fits","markingDay":"C1","maxMark":40.00}]}]}]}
            """;
        var answer = await Put(s, $"{s.Path}/scheme", Scheme, "application/json");
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.True(body.GetProperty("changed").GetBoolean());
        var notes = body.GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(["scheme.group-targets-dropped", "scheme.group-removed"], notes.Select(n => n.GetProperty("code").GetString()));
        Assert.Equal(["G1:A", "G2:A1.2"], notes.Select(n => $"{n.GetProperty("args").GetProperty("group").GetString()}:{n.GetProperty("args").GetProperty("targets").GetString()}"));
        Assert.All(notes, n => Assert.Equal("marking-groups", n.GetProperty("field").GetString()));

        var groups = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/marking-groups")).RootElement;
        var only = Assert.Single(groups.EnumerateArray());
        Assert.Equal("G1", only.GetProperty("id").GetString());
        Assert.Equal(["B1.1"], only.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
        var audit = await s.Organiser.GetStringAsync($"{s.Path}/audit?limit=5");
        Assert.Contains("Marking group 'G2' marked only A1.2", audit, StringComparison.Ordinal);

        // The group left marks what it still names; the groups for the new scheme import as ever.
        var fr = await MarkingScenario.PairAsync(s.Node, s.Organiser, "E-FR", s.Path);
        Assert.Equal(HttpStatusCode.OK, (await s.MarkAsync(fr, "CN-07", "fit-1", new { aspectId = "B1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"{s.Path}/marking-groups", "id,name,targets,experts\nG1,Mixed,B;X,E-FR;E-KR\n", "text/csv")).StatusCode);
        // A scheme that changes nothing says nothing more.
        var again = await (await Put(s, $"{s.Path}/scheme", Scheme, "application/json")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(0, again.GetProperty("notes").GetArrayLength());
    }

    [Theory]
    [InlineData("id,name,targets,experts\n", "text/csv", "csv")]
    [InlineData("id,name,targets,experts\n\n", "text/csv", "csv")]
    [InlineData("[]", "application/json", "body")]
    [InlineData("null", "application/json", "body")]
    public async Task MarkingGroups_AnImportWithNoRows_IsRefused_AndTheGroupsStay(string body, string type, string field)
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/marking-groups", body, type, field, "import.no-rows");
        Assert.Equal(2, JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/marking-groups")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task CompetitorsAndExperts_AnImportWithNoRows_IsRefusedToo()
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/competitors", "id,member,first_name,last_name\n", "text/csv", "csv", "import.no-rows");
        await Refused(s, $"{s.Path}/experts", "[]", "application/json", "body", "import.no-rows");
        await Refused(s, $"/api/competitions/{s.Code}/skills", "number,name_en\n", "text/csv", "csv", "import.no-rows");
    }

    [Fact]
    public async Task AFileOfMoreRowsThanASetupImportTakes_IsRefusedWhole()
    {
        // Found by an outside tester: 300,000 competitors in one file were taken, and every standings read became 49 MB.
        var s = await ScenarioAsync();
        var rows = Enumerable.Range(1, Competitions.RosterImport.MaxRows + 1);
        var competitors = "id,member,first_name,last_name\n" + string.Concat(rows.Select(i => $"X-{i},FR,First,Last{i}\n"));
        var problem = await Refused(s, $"{s.Path}/competitors", competitors, "text/csv", "body", "import.too-many-rows");
        Assert.Contains($"{Competitions.RosterImport.MaxRows + 1} rows", problem.GetProperty("errors").GetProperty("body")[0].GetString());
        var experts = System.Text.Json.JsonSerializer.Serialize(rows.Select(i => new { id = $"E-{i}", member = "FR", name = $"Expert {i}", role = "Expert" }));
        await Refused(s, $"{s.Path}/experts", experts, "application/json", "body", "import.too-many-rows");
        // A JSON entry is a team: its people count as a CSV file's rows do (1,001 teams of three are 3,003 rows).
        var teams = System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(1, 1001).Select(i => new
        {
            id = $"T-{i}", member = "FR", people = new[] { new { firstName = "A", lastName = $"A{i}" }, new { firstName = "B", lastName = $"B{i}" }, new { firstName = "C", lastName = $"C{i}" } },
        }));
        var people = await Refused(s, $"{s.Path}/competitors", teams, "application/json", "body", "import.too-many-rows");
        Assert.Contains("3003 people", people.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task FilesOneAfterAnother_CannotGrowASkillPastItsCompetitorLimit()
    {
        // Found by an outside tester: two files of 3,000 rows each made a skill of 6,000 competitors.
        var s = await ScenarioAsync();
        var code = "M" + s.Code[1..];
        Assert.Equal(HttpStatusCode.Created, (await s.Organiser.PostAsJsonAsync("/api/competitions", new { code, name = "Several per member", city = "Lyon", country = "France", allowSeveralPerMember = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"/api/competitions/{code}/skills", FullSkill, "text/csv")).StatusCode);
        var path = $"/api/competitions/{code}/skills/07/competitors";
        string File(int from, int count) => "id,member,first_name,last_name\n" + string.Concat(Enumerable.Range(from, count).Select(i => $"X-{i},FR,First,Last{i}\n"));
        Assert.Equal(HttpStatusCode.OK, (await Put(s, path, File(1, 600), "text/csv")).StatusCode);
        var refused = await Put(s, path, File(601, Domain.Scoring.Import.RosterSize.MaxCompetitors - 599), "text/csv");
        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        Assert.Contains("roster.too-many-competitors", text);
        Assert.Equal(600, JsonDocument.Parse(await s.Organiser.GetStringAsync(path)).RootElement.GetArrayLength());
        // Listing stored competitors again adds none: up to the limit, a file is taken.
        Assert.Equal(HttpStatusCode.OK, (await Put(s, path, File(1, Domain.Scoring.Import.RosterSize.MaxCompetitors), "text/csv")).StatusCode);
    }

    /// <summary>A semicolon-separated file whose lists are separated by semicolons too once kept only each group's first expert.</summary>
    [Fact]
    public async Task MarkingGroups_ARowWithMoreFieldsThanTheHeader_IsRefusedWithItsRow()
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/marking-groups", MarkingScenario.GroupsCsv.Replace(',', ';'), "text/csv", "row 2: csv", "csv.field-count");
    }

    [Theory]
    [InlineData("competitors", "id,member,first_name,last_name,nickname\nFR-07,FR,Louis,Martin,Lou\n", "row 1: nickname")]
    [InlineData("experts", "id,member,name,role,rank\nE-DE,DE,Anna Schmidt,Chief Expert,1\n", "row 1: rank")]
    [InlineData("marking-groups", "id,name,targets,experts,extra\nG1,Machining,A,E-FR,x\n", "row 1: extra")]
    public async Task AnUnknownColumn_IsRefusedNamingIt(string part, string csv, string key)
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/{part}", csv, "text/csv", key, "csv.unknown-column");
    }

    /// <summary>
    /// Found by an outside tester: a refusal quoted the file's value whole, a 4 MB member code four times over (16 MB out), and
    /// with U+202E, ESC and NUL as they were. What a refusal quotes from the file is cut and made visible, in its message, its
    /// arguments and its key alike (docs/scoring.md, "Setup imports").
    /// </summary>
    [Theory]
    [InlineData("competitors", "id,member,first_name,last_name\nFR-07,{0},Louis,Martin\n", "text/csv")]
    [InlineData("competitors", "[{{\"id\":\"FR-07\",\"member\":\"{0}\",\"firstName\":\"Louis\",\"lastName\":\"Martin\"}}]", "application/json")]
    [InlineData("experts", "id,member,name,role\nE-DE,DE,Anna Schmidt,{0}\n", "text/csv")]
    [InlineData("competitors", "[{{\"id\":\"FR-07\",\"member\":\"FR\",\"firstName\":\"Louis\",\"lastName\":\"Martin\",\"{0}\":1}}]", "application/json")]
    public async Task ARefusal_QuotesTheFileShortAndVisible(string part, string template, string type)
    {
        var s = await ScenarioAsync();
        var hostile = "F\u202E\u001b[2J" + new string('Q', 200_000);
        var body = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, type == "text/csv" ? hostile : hostile.Replace("\u001b", "\\u001b").Replace("\u202E", "\\u202E"));
        var response = await Put(s, $"{s.Path}/{part}", System.Text.Encoding.UTF8.GetBytes(body), type);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        Assert.True(text.Length < 5_000, $"{text.Length} characters: {text[..500]}");
        // Every text of the answer, its keys too, as a reader decodes them.
        static IEnumerable<string> Texts(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Texts(p.Value).Prepend(p.Name)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Texts),
            JsonValueKind.String => [e.GetString()!],
            _ => [],
        };
        var shown = string.Join("\n", Texts(JsonDocument.Parse(text).RootElement));
        Assert.DoesNotContain(shown, c => c == '\u202E' || c == '\u001b');
        // Quoted, the value is cut; or not quoted at all (a JSON value with ESC is refused by the text rule, which names no text).
        Assert.DoesNotContain(new string('Q', 201), shown);
        Assert.True(!shown.Contains("QQQ", StringComparison.Ordinal) || shown.Contains("QQQ…", StringComparison.Ordinal), shown[..Math.Min(shown.Length, 500)]);
    }

    /// <summary>Found by an outside tester: a 5,000-character expert name was stored as it was (docs/security.md, the text rule).</summary>
    [Theory]
    [InlineData("experts", "id,member,name,role\nE-DE,DE,Anna Schmidt,Chief Expert\nE-FR,FR,{0},Expert\n", "text/csv", "row 3: name")]
    [InlineData("experts", "[{{\"id\":\"E-DE\",\"member\":\"DE\",\"name\":\"{0}\",\"role\":\"Chief Expert\"}}]", "application/json", "row 1: name")]
    public async Task ANameOver200Characters_IsRefused(string part, string template, string type, string key)
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/{part}", string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('n', 5000)), type, key, "text.too-long");
    }

    [Fact]
    public async Task Skills_AMisspeltColumn_IsRefusedNamingIt_AndTheStoredSkillStays()
    {
        var s = await ScenarioAsync();
        await Refused(s, $"/api/competitions/{s.Code}/skills", "number,name_en,nmae_zh\n7,CNC Milling,数控铣\n", "text/csv", "row 1: nmae_zh", "csv.unknown-column");
        var unknown = await Refused(s, $"/api/competitions/{s.Code}/skills", """[{"number":7,"name":"CNC Milling","nmaeZh":"数控铣"}]""", "application/json", "$[0].nmaeZh", "json.malformed");
        Assert.Contains("no such property", unknown.GetRawText());
        // A value of another type is said so, not called an unknown property (found by an outside tester: a whole number
        // written 9.0).
        var mistyped = await Refused(s, $"/api/competitions/{s.Code}/skills", """[{"number":"seven","name":"CNC Milling"}]""", "application/json", "$[0].number", "json.malformed");
        Assert.Contains("not of the type this field takes", mistyped.GetRawText());
        Assert.DoesNotContain("known properties", mistyped.GetRawText());
    }

    /// <summary>A column or property the file leaves out keeps the stored value; a blank cell or a null clears it.</summary>
    [Fact]
    public async Task Skills_AnOptionalColumnLeftOut_KeepsTheStoredValue_ABlankCellClearsIt()
    {
        var s = await ScenarioAsync();
        var skills = $"/api/competitions/{s.Code}/skills";
        Assert.Equal(HttpStatusCode.OK, (await Put(s, skills, "number,name_en\n7,CNC Milling Technology\n", "text/csv")).StatusCode);
        var skill = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{skills}/07/")).RootElement;
        Assert.Equal(("CNC Milling Technology", "数控铣", "Manufacturing", 1, 22),
            (skill.GetProperty("name").GetString(), skill.GetProperty("nameZh").GetString(), skill.GetProperty("sector").GetString(), skill.GetProperty("teamSize").GetInt32(), skill.GetProperty("competitorMaxAge").GetInt32()));

        Assert.Equal(HttpStatusCode.OK, (await Put(s, skills, """[{"number":7,"name":"CNC Milling","sector":null}]""", "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Put(s, skills, "number,name_en,competitor_max_age\n7,CNC Milling,\n", "text/csv")).StatusCode);
        skill = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{skills}/07/")).RootElement;
        Assert.Equal(("数控铣", JsonValueKind.Null, 1, JsonValueKind.Null),
            (skill.GetProperty("nameZh").GetString(), skill.GetProperty("sector").ValueKind, skill.GetProperty("teamSize").GetInt32(), skill.GetProperty("competitorMaxAge").ValueKind));
    }

    [Fact]
    public async Task AChineseName_IsShownFamilyNameFirst_AsItsReadersWriteIt()
    {
        // Found by an outside tester: first_name 志明, last_name 欧阳 showed as "志明 欧阳" on every page (docs/scoring.md, "Names").
        var s = await ScenarioAsync();
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"{s.Path}/competitors", "id,member,first_name,last_name\nCN-07,CN,志明,欧阳\nFR-07,FR,Louis,Martin\n", "text/csv")).StatusCode);
        var names = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/competitors")).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("name").GetString());
        Assert.Equal(("欧阳志明", "Louis Martin"), (names["CN-07"], names["FR-07"]));
    }

    /// <summary>A Latin-1 "é" (0xE9) once became U+FFFD for good ("Andr\uFFFD").</summary>
    [Theory]
    [InlineData("competitors", "id,member,first_name,last_name\nFR-07,FR,Louis,Martin\nCN-07,CN,{0},Zhang\n", "text/csv", 3)]
    [InlineData("experts", "id,member,name,role\nE-DE,DE,Anna Schmidt,Chief Expert\nE-FR,FR,Paul {0},Expert\n", "text/csv", 3)]
    [InlineData("experts", "[{{\"id\":\"E-DE\",\"member\":\"DE\",\"name\":\"{0}\",\"role\":\"Chief Expert\"}}]", "application/json", 1)]
    [InlineData("scheme", "{{\"title\":\"x\",\n\"criteria\":[{{\"id\":\"A\",\"name\":\"{0}\"}}]}}", "application/json", 2)]
    [InlineData("skills", "number,name_en\n7,{0}\n", "text/csv", 2)]
    public async Task InvalidUtf8_IsRefusedNamingTheLine(string part, string template, string type, int line)
    {
        var s = await ScenarioAsync();
        var halves = string.Format(template, "\u0001").Split('\u0001');
        var body = Encoding.UTF8.GetBytes(halves[0]).Concat("Andr"u8.ToArray()).Append((byte)0xE9).Concat(Encoding.UTF8.GetBytes(halves[1])).ToArray();
        var path = part == "skills" ? $"/api/competitions/{s.Code}/skills" : $"{s.Path}/{part}";
        await Refused(s, path, body, type, $"row {line}: encoding", "text.invalid-utf8");
    }

    /// <summary>A missing role once made the Chief Expert a plain Expert on re-import.</summary>
    [Theory]
    [InlineData("""[{"id":"E-DE","member":"DE","name":"Anna Schmidt"}]""", "application/json", "row 1: role")]
    [InlineData("""[{"id":"E-DE","member":"DE","name":"Anna Schmidt","role":" "}]""", "application/json", "row 1: role")]
    [InlineData("id,member,name,role\nE-DE,DE,Anna Schmidt,\n", "text/csv", "row 2: role")]
    public async Task Experts_ARoleIsRequired_AndTheChiefExpertStays(string body, string type, string key)
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/experts", body, type, key, "roster.role-required");
        var experts = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/experts")).RootElement;
        Assert.Contains(experts.EnumerateArray(), e => e.GetProperty("id").GetString() == "E-DE" && e.GetProperty("role").ToString() is "ChiefExpert" or "0");
    }

    /// <summary>
    /// Found by an outside tester: an experts file adds or updates, and a second file naming another Chief Expert made the
    /// skill two, each tablet with every right of the role. The rule holds for the experts as they would be after the file;
    /// the file that hands the role over names the old Chief Expert with another role.
    /// </summary>
    [Fact]
    public async Task Experts_ASecondChiefExpert_IsRefused_AcrossFiles_AndTheRoleIsHandedOverInOne()
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/experts", "id,member,name,role\nE-JP,JP,Sato Ken,Chief Expert\n", "text/csv", "role", "roster.one-chief-expert");

        var handover = await Put(s, $"{s.Path}/experts", "id,member,name,role\nE-DE,DE,Anna Schmidt,Expert\nE-JP,JP,Sato Ken,Chief Expert\n", "text/csv");
        Assert.True(handover.IsSuccessStatusCode, await handover.Content.ReadAsStringAsync());
        var chiefs = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/experts")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("role").GetString() == "ChiefExpert").Select(e => e.GetProperty("id").GetString());
        Assert.Equal(["E-JP"], chiefs);
    }

    [Theory]
    [InlineData("A1/1")]
    [InlineData("A1 2")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Scheme_AnAspectIdOutsideTheIdRule_IsRefusedNamingTheAspect(string id)
    {
        var s = await ScenarioAsync();
        var scheme = MarkingScenario.SchemeJson.Replace("\"A1.2\"", JsonSerializer.Serialize(id));
        await Refused(s, $"{s.Path}/scheme", scheme, "application/json", $"{id}: id", "scheme.invalid-id");
    }

    [Theory]
    [InlineData("competitors", """[{"id":"FR-07","member":"FR","people":[null]}]""", "row 1: people[0]")]
    [InlineData("marking-groups", """[{"id":"G1","name":"Machining","targets":[null],"experts":["E-FR"]}]""", "row 1: targets[0]")]
    [InlineData("marking-groups", """[{"id":"G1","name":"Machining","targets":["A"],"experts":["E-FR",null]}]""", "row 1: experts[1]")]
    public async Task JsonNullItems_AreRefusedNamingThem(string part, string body, string key)
    {
        var s = await ScenarioAsync();
        await Refused(s, $"{s.Path}/{part}", body, "application/json", key, "json.null-item");
    }

    /// <summary>
    /// Found by outside testers: a person with only a first name was stored; two rows of one team id with different
    /// members or team names were merged into the first, dropping the rest; and a marking group the skill grain refused
    /// was reported by its position in the file, not its spreadsheet row. A JSON file's refusals name the property path
    /// its entry sent (people[1].firstName, teamSize, memberCode), the grain's too, where a CSV file's name its columns
    /// (an outside tester: a JSON person without a last name was refused naming last_name).
    /// </summary>
    [Fact]
    public async Task TeamRowsMustAgree_EveryPersonHasBothNames_AndGroupRefusalsNameTheFileRow()
    {
        var s = await ScenarioAsync();
        const string Competitors = "id,member,first_name,last_name,team\n";
        await Refused(s, $"{s.Path}/competitors", Competitors + "ID-07,ID,Budi,   ,\n", "text/csv", "row 2: last_name", "roster.competitor-needs-name");
        await Refused(s, $"{s.Path}/marking-groups", "id,name,targets,experts\nG1,Machining,A,E-FR;E-CN;E-KR\nG2,Presentation,B,E-FR\nG3,Bad,Z,E-XX\n",
            "text/csv", "row 4: targets", "roster.group-unknown-target");
        // An expert or a target on file but for its case is said as such (found by an outside tester: "not registered").
        await Refused(s, $"{s.Path}/marking-groups", "id,name,targets,experts\nG1,Machining,A,E-FR;e-cn;E-KR\n", "text/csv", "row 2: experts", "roster.id-case-clash");
        await Refused(s, $"{s.Path}/marking-groups", "id,name,targets,experts\nG1,Machining,a,E-FR;E-CN;E-KR\n", "text/csv", "row 2: targets", "roster.id-case-clash");

        // A team size that the skill's registered competitors do not fit is refused (found by an outside tester: the
        // roster then broke its own rule). Skill 7's competitors are individuals.
        await Refused(s, $"/api/competitions/{s.Code}/skills", "number,name_en,team_size\n7,CNC Milling,2\n", "text/csv", "row 2: team_size", "roster.team-size");
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"/api/competitions/{s.Code}/skills", "number,name_en,team_size\n8,Mechanical Engineering CAD,2\n", "text/csv")).StatusCode);
        var teams = $"/api/competitions/{s.Code}/skills/8";
        await Refused(s, $"{teams}/competitors", Competitors + "T-1,ES,Ana,Ruiz,Blue\nT-1,IT,Bruno,Rossi,Blue\n", "text/csv", "row 3: member", "roster.team-rows-disagree");
        await Refused(s, $"{teams}/competitors", Competitors + "T-1,ES,Ana,Ruiz,Blue\nT-1,ES,Bea,Gil,Red\n", "text/csv", "row 3: team", "roster.team-rows-disagree");
        Assert.Equal(HttpStatusCode.OK, (await Put(s, $"{teams}/competitors", Competitors + "T-1,ES,Ana,Ruiz,Blue\nT-1,es,Bea,Gil,Blue\n", "text/csv")).StatusCode);
        await Refused(s, $"/api/competitions/{s.Code}/skills", "number,name_en,team_size\n8,Mechanical Engineering CAD,3\n", "text/csv", "row 2: team_size", "roster.team-size");

        const string Json = "application/json";
        static string Person(string first, string last) => $$"""{"firstName":"{{first}}","lastName":"{{last}}"}""";
        foreach (var (path, body, type, key, code) in new[]
        {
            ($"{s.Path}/competitors", $$"""[{"id":"ID-07","member":"ID","people":[{{Person("Budi", " ")}}]}]""", Json, "row 1: people[0].lastName", "roster.competitor-needs-name"),
            ($"{teams}/competitors", $$"""[{"id":"T-2","member":"IT","people":[{{Person("Ana", "Ruiz")}},{{Person("Bea\u202E", "Gil")}}]}]""", Json, "row 1: people[1].firstName", "text.bidi-control"),
            ($"{teams}/competitors", $$"""[{"id":"T-2","member":"IT","name":"Blue\u202E","people":[{{Person("Ana", "Ruiz")}},{{Person("Bea", "Gil")}}]}]""", Json, "row 1: name", "text.bidi-control"),
            ($"{teams}/competitors", Competitors + "T-2,IT,Ana,Ruiz,Blue\u202E\nT-2,IT,Bea,Gil,Blue\u202E\n", "text/csv", "row 2: team", "text.bidi-control"),
            ($"{s.Path}/competitors", $$"""[{"id":"XX-07","memberCode":"XX","people":[{{Person("Ann", "Lee")}}]}]""", Json, "row 1: memberCode", "roster.unknown-member"),
            ($"{s.Path}/experts", """[{"id":"E-XX","memberCode":"XX","name":"Ann Lee","role":"Expert"}]""", Json, "row 1: memberCode", "roster.unknown-member"),
            ($"{s.Path}/marking-groups", """[{"id":"G1","targets":["A"],"expertIds":["E-FR","E-XX"]}]""", Json, "row 1: expertIds", "roster.group-unknown-expert"),
            ($"/api/competitions/{s.Code}/skills", """[{"number":7,"name":"CNC Milling","teamSize":2}]""", Json, "row 1: teamSize", "roster.team-size"),
            ($"/api/competitions/{s.Code}/skills", """[{"number":9,"name":"Welding","teamSize":5}]""", Json, "row 1: teamSize", "roster.team-size-range"),
            ($"/api/competitions/{s.Code}/skills", """[{"number":9,"name":"Welding","nameZh":"焊接\u0007"}]""", Json, "row 1: nameZh", "text.control-character"),
            ($"/api/competitions/{s.Code}/skills", "number,name_en,name_zh\n9,Welding,焊接\u0007\n", "text/csv", "row 2: name_zh", "text.control-character"),
        })
        {
            var problem = await Refused(s, path, body, type, key, code);
            // The row's own field is the error's: what the pages name, in Chinese too (kernel/problems.ts, fieldName).
            Assert.Contains(problem.GetProperty("rows").EnumerateArray(), r => r.GetProperty("field").GetString() == key[(key.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
        }
    }

    /// <summary>
    /// Found by an outside tester: a code of 2 or 17 characters answered 400 where the docs say 422, dates from year 1 to
    /// 9999 were stored, and the contract required a Chinese name the server does not.
    /// </summary>
    [Fact]
    public async Task ACompetitionsFields_BreakingTheRules_Are422NamingThem_AndTheOptionalOnesMayBeLeftOut()
    {
        var s = await ScenarioAsync();
        foreach (var (body, field) in new (object, string)[]
        {
            (new { code = "AB", name = "n", city = "c", country = "FR" }, "code"),
            (new { code = new string('A', 17), name = "n", city = "c", country = "FR" }, "code"),
            (new { code = NodeFixture.NewCode(), name = "n", city = "c", country = "FR", startsOn = "0001-01-01" }, "startsOn"),
            (new { code = NodeFixture.NewCode(), name = "n", city = "c", country = "FR", endsOn = "9999-12-31" }, "endsOn"),
            (new { code = NodeFixture.NewCode(), city = "c", country = "FR" }, "name"),
        })
        {
            var refused = await s.Organiser.PostAsJsonAsync("/api/competitions", body);
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, text);
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        }
        var code = NodeFixture.NewCode();
        Assert.Equal(HttpStatusCode.Created, (await s.Organiser.PostAsJsonAsync("/api/competitions", new { code, name = "Regional 2027", city = "Lyon", country = "FR" })).StatusCode);
        var required = JsonDocument.Parse(await s.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement
            .GetProperty("components").GetProperty("schemas").GetProperty("CreateCompetitionRequest").GetProperty("required").EnumerateArray().Select(e => e.GetString());
        Assert.DoesNotContain("nameZh", required);
    }

    /// <summary>Found by an outside tester: "+7", " 8 " with a sign or "0012" were stored as skills 7, 8 and 12.</summary>
    [Fact]
    public async Task WholeNumbersInRosterFiles_AreDigitsOnly()
    {
        var s = await ScenarioAsync();
        foreach (var number in new[] { "+7", "0012", "-3", "1e1" })
        {
            var refused = await Put(s, $"/api/competitions/{s.Code}/skills", $"number,name_en\n{number},Sign\n", "text/csv");
            Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{number}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Found by an outside tester: results.csv writes skill numbers with two digits ("07"), as the routes do, and the
    /// skills import refused them ("not a whole number"). A skill number read back from the export names the same skill.
    /// </summary>
    [Fact]
    public async Task ASkillNumber_AsResultsCsvWritesIt_ImportsAsThatSkill()
    {
        var s = await ScenarioAsync();
        // Decided (a mark above 0): an undecided skill is not in the CSV (docs/scoring.md, "Results").
        Assert.Equal(HttpStatusCode.OK, (await s.MarkAsync(s.Experts["E-FR"], "KR-07", "csv-number-1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.True(await s.DecidedAsync());
        var csv = (await s.Organiser.GetStringAsync($"/api/competitions/{s.Code}/results.csv")).TrimStart('\uFEFF').Split("\r\n");
        var column = Array.IndexOf(csv[0].Split(','), "Skill Number");
        var written = csv[1].Split(',')[column];
        Assert.Equal("07", written);
        var imported = await Put(s, $"/api/competitions/{s.Code}/skills", $"number,name_en\n{written},CNC Milling Technology\n01,Polymechanics\n", "text/csv");
        Assert.True(imported.StatusCode == HttpStatusCode.OK, $"{(int)imported.StatusCode} {await imported.Content.ReadAsStringAsync()}");
        Assert.Equal("CNC Milling Technology", JsonDocument.Parse(await s.Organiser.GetStringAsync($"/api/competitions/{s.Code}/skills/07/")).RootElement.GetProperty("name").GetString());
        Assert.Equal("Polymechanics", JsonDocument.Parse(await s.Organiser.GetStringAsync($"/api/competitions/{s.Code}/skills/1/")).RootElement.GetProperty("name").GetString());
    }

    /// <summary>Found by an outside tester: a filter given twice, a limit of -1 and a format of "xml" were each answered as if not given.</summary>
    [Fact]
    public async Task QueryValues_OutsideWhatTheEndpointTakes_AreRefusedNamingThem()
    {
        var s = await ScenarioAsync();
        foreach (var (query, field) in new[] { ("competitor=FR-07&competitor=KR-07", "competitor"), ("limit=0", "limit"), ("limit=-1", "limit"), ("limit=5001", "limit"), ("before=0", "before"), ("before=-5", "before"), ("before=abc", "before"),
            // Found by an outside tester: a NUL in a filter reached the database as a 500.
            ("competitor=%00", "competitor"), ("aspect=a%00b", "aspect"), ("competitor=FR%2F07", "competitor"),
            // Found by an outside tester: %-escapes that are not UTF-8 (a Latin-1 byte, a lone surrogate, an overlong form) were
            // kept as the text "%FF"; a scheme's title was stored so.
            ("competitor=FR%FF07", "competitor"), ("aspect=%ED%A0%80", "aspect"), ("competitor=%C0%AF", "competitor") })
        {
            var response = await s.Organiser.GetAsync($"{s.Path}/audit?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), query);
        }
        Assert.Equal(HttpStatusCode.OK, (await s.Organiser.GetAsync($"{s.Path}/audit?competitor=FR-07&limit=5000")).StatusCode);
        // The trail pages back from the newest: a page of one, then the row before it.
        var newest = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/audit?limit=2")).RootElement;
        Assert.Equal(2, newest.GetArrayLength());
        var older = JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/audit?limit=1&before={newest[0].GetProperty("id").GetInt64()}")).RootElement;
        Assert.Equal(newest[1].GetProperty("id").GetInt64(), older[0].GetProperty("id").GetInt64());
        var before = await s.Organiser.GetStringAsync($"{s.Path}/scheme");
        var latin1 = await s.Organiser.PutAsync($"{s.Path}/scheme?title=F15%FFbyte", new StringContent(MarkingScenario.SchemeJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, latin1.StatusCode);
        Assert.True(JsonDocument.Parse(await latin1.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("title", out _));
        Assert.Equal(before, await s.Organiser.GetStringAsync($"{s.Path}/scheme"));
        var xml = await s.Organiser.GetAsync($"{s.Path}/scheme?format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, xml.StatusCode);
        Assert.StartsWith("text/csv", (await s.Organiser.GetAsync($"{s.Path}/scheme?format=CSV")).Content.Headers.ContentType?.ToString());
    }

    /// <summary>Found by an outside tester: a property given twice in an import's JSON was read as its last value, so a file showing DE-07 changed FR-07.</summary>
    [Theory]
    [InlineData("competitors", """[{"id":"DE-07","id":"FR-07","member":"FR","people":[{"firstName":"A","lastName":"B"}]}]""", "$[0].id")]
    [InlineData("experts", """[{"id":"E-DE","member":"DE","name":"Anna","role":"Expert","role":"Chief Expert"}]""", "$[0].role")]
    [InlineData("skills", """[{"number":7,"number":8,"name":"S"}]""", "$[0].number")]
    public async Task APropertyGivenTwice_InAnImportsJson_IsRefusedNamingIt(string part, string body, string key)
    {
        var s = await ScenarioAsync();
        var path = part == "skills" ? $"/api/competitions/{s.Code}/skills" : $"{s.Path}/{part}";
        var problem = await Refused(s, path, body, "application/json", key, "json.malformed");
        Assert.Contains("given twice", problem.GetProperty("errors").GetProperty(key)[0].GetString());
    }

    /// <summary>
    /// A competitor's or an expert's id is one id whatever its case (found by an outside tester: experts X-FR and x-fr, and
    /// competitors CN-1 and cn-1, were taken side by side): one on file in another case is refused naming it, and one file
    /// holding both lists the id twice. Nothing changes.
    /// </summary>
    [Fact]
    public async Task AnIdInAnotherCase_IsTheSameId_AndRefused()
    {
        var s = await ScenarioAsync();
        var problem = await Refused(s, $"{s.Path}/competitors", "id,member,first_name,last_name\nfr-07,FR,Louis,Martin\n", "text/csv", "row 2: id", "roster.id-case-clash");
        Assert.Contains("write it as 'FR-07'", problem.GetProperty("errors").GetProperty("row 2: id")[0].GetString());
        Assert.Single(problem.GetProperty("rows").EnumerateArray());
        await Refused(s, $"{s.Path}/experts", "id,member,name,role\ne-jp,JP,Sato Ken,Expert\n", "text/csv", "row 2: id", "roster.id-case-clash");
        await Refused(s, $"{s.Path}/competitors", "id,member,first_name,last_name\nES-07,ES,Ana,Ruiz\nes-07,ES,Ana,Ruiz\n", "text/csv", "row 3: id", "roster.duplicate-competitor");
    }

    /// <summary>Found by an outside tester: a CSV sent with no Content-Type was read as JSON ("Malformed JSON at $").</summary>
    [Fact]
    public async Task AnImportWithNoContentType_Is415NamingIt_AndNothingChanges()
    {
        var s = await ScenarioAsync();
        var before = await Stored(s);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("id,member,first_name,last_name\nES-07,ES,Ana,Ruiz\n"));
        var answer = await s.Organiser.PutAsync($"{s.Path}/competitors", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);
        Assert.Equal("Content-Type", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal(before, await Stored(s));
    }

    /// <summary>Found by an outside tester: a scheme's maxMark given twice, a 250-character title and an age limit of -5 were stored.</summary>
    [Fact]
    public async Task SchemeTitleAndSkillLimits_AreChecked_AndASchemePropertyGivenTwice_IsRefused()
    {
        var s = await ScenarioAsync();
        var scheme = System.Text.Json.Nodes.JsonNode.Parse(await s.Organiser.GetStringAsync($"{s.Path}/scheme"))!.AsObject();
        scheme["title"] = new string('t', 201);
        var problem = await Refused(s, $"{s.Path}/scheme", scheme.ToJsonString(), "application/json", "title", "text.too-long");
        scheme["title"] = "Test scheme";
        var twice = scheme.ToJsonString().Replace("\"maxMark\":", "\"maxMark\":50,\"maxMark\":");
        problem = await Refused(s, $"{s.Path}/scheme", twice, "application/json", "row 1: criteria[0].subCriteria[0].aspects[0].maxMark", "json.malformed");
        Assert.Contains("given twice", problem.GetRawText());
        // A property a scheme does not have is refused, not dropped with the text it carried, and a value of the wrong type
        // names its property, not the file (found by an outside tester).
        var misspelt = scheme.ToJsonString().Replace("\"description\":", "\"descriptoin\":", StringComparison.Ordinal);
        problem = await Refused(s, $"{s.Path}/scheme", misspelt, "application/json", "row 1: criteria[0].subCriteria[0].aspects[0].descriptoin", "json.malformed");
        Assert.Contains("no such property", problem.GetRawText());
        var mistyped = scheme.ToJsonString().Replace("\"maxMark\":", "\"maxMark\":\"one\",\"x\":", StringComparison.Ordinal);
        await Refused(s, $"{s.Path}/scheme", mistyped, "application/json", "row 1: criteria[0].subCriteria[0].aspects[0].maxMark", "json.malformed");
        // A blank ?title= is none: the stored title stays.
        var before = System.Text.Json.Nodes.JsonNode.Parse(await s.Organiser.GetStringAsync($"{s.Path}/scheme"))!["title"]!.GetValue<string>();
        Assert.True((await s.Organiser.PutAsync($"{s.Path}/scheme?title=%20", new StringContent(scheme.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).IsSuccessStatusCode);
        Assert.Equal(before, System.Text.Json.Nodes.JsonNode.Parse(await s.Organiser.GetStringAsync($"{s.Path}/scheme"))!["title"]!.GetValue<string>());

        var skills = $"/api/competitions/{s.Code}/skills";
        await Refused(s, skills, "number,name_en,competitor_max_age\n7,CNC Milling,-5\n", "text/csv", "row 2: competitor_max_age", "roster.max-age-range");
        await Refused(s, skills, """[{"number":7,"name":"CNC Milling","competitorMaxAge":300}]""", "application/json", "row 1: competitorMaxAge", "roster.max-age-range");
        Assert.Equal(HttpStatusCode.OK, (await Put(s, skills, "number,name_en,competitor_max_age\n7,CNC Milling,25\n", "text/csv")).StatusCode);
    }

    /// <summary>
    /// Found by an outside tester: a description sent as JSON with CRLF was stored with CR, the exported sheet read back
    /// with LF, so re-importing the platform's own export counted as a change (and was refused once marks existed).
    /// </summary>
    [Fact]
    public async Task ASchemeWithCrlfText_ImportedAsJson_ExportsToASheetThatImportsBackUnchanged()
    {
        var s = await ScenarioAsync();
        var scheme = System.Text.Json.Nodes.JsonNode.Parse(await s.Organiser.GetStringAsync($"{s.Path}/scheme"))!.AsObject();
        var aspect = scheme["criteria"]![0]!["subCriteria"]![0]!["aspects"]![0]!;
        aspect["description"] = "Deburred\r\nall edges\rand corners";
        var sent = await Put(s, $"{s.Path}/scheme", scheme.ToJsonString(), "application/json");
        Assert.True(sent.StatusCode == HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        var stored = System.Text.Json.Nodes.JsonNode.Parse(await s.Organiser.GetStringAsync($"{s.Path}/scheme"))!;
        Assert.Equal("Deburred\nall edges\nand corners", (string)stored["criteria"]![0]!["subCriteria"]![0]!["aspects"]![0]!["description"]!);
        Assert.Equal(HttpStatusCode.OK, (await s.MarkAsync(s.Experts["E-JP"], "KR-07", NodeFixture.NewCode(), new { aspectId = "A1.1", achieved = true })).StatusCode);

        var sheet = await s.Organiser.GetStringAsync($"{s.Path}/scheme?format=csv");
        var back = await Put(s, $"{s.Path}/scheme", sheet, "text/csv");
        var text = await back.Content.ReadAsStringAsync();
        Assert.True(back.StatusCode == HttpStatusCode.OK, text);
        Assert.False(JsonDocument.Parse(text).RootElement.GetProperty("changed").GetBoolean(), text);

        // Found by an outside tester: the same sheet saved by a spreadsheet that writes 40.00 as 40 was a change (409).
        Assert.Contains(".00,", sheet);
        var resaved = await Put(s, $"{s.Path}/scheme", sheet.Replace(".00,", ","), "text/csv");
        text = await resaved.Content.ReadAsStringAsync();
        Assert.True(resaved.StatusCode == HttpStatusCode.OK, text);
        Assert.False(JsonDocument.Parse(text).RootElement.GetProperty("changed").GetBoolean(), text);
    }

    /// <summary>Found by an outside tester: the exported CSV of a scheme imported as JSON came back under another title, so it counted as a change (refused once marks existed).</summary>
    [Fact]
    public async Task AnExportedSchemeSheet_ImportsBackUnchanged_KeepingTheStoredTitle()
    {
        var s = await ScenarioAsync();
        var sheet = await s.Organiser.GetStringAsync($"{s.Path}/scheme?format=csv");
        var back = await Put(s, $"{s.Path}/scheme", sheet, "text/csv");
        var text = await back.Content.ReadAsStringAsync();
        Assert.True(back.StatusCode == HttpStatusCode.OK, text);
        Assert.False(JsonDocument.Parse(text).RootElement.GetProperty("changed").GetBoolean(), text);
        Assert.Equal("Test scheme", JsonDocument.Parse(await s.Organiser.GetStringAsync($"{s.Path}/scheme")).RootElement.GetProperty("title").GetString());
        // Found by an outside tester: asking by Accept (as a generated client does) got JSON; the sheet is the same either way.
        var byAccept = new HttpRequestMessage(HttpMethod.Get, $"{s.Path}/scheme");
        byAccept.Headers.Accept.ParseAdd("text/csv");
        var csv = await s.Organiser.SendAsync(byAccept);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(sheet, await csv.Content.ReadAsStringAsync());
        var either = new HttpRequestMessage(HttpMethod.Get, $"{s.Path}/scheme");
        either.Headers.Accept.ParseAdd("application/json, text/csv;q=0.5");
        Assert.Equal("application/json", (await s.Organiser.SendAsync(either)).Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Found by an outside tester: the JSON of GET .../competitors, .../experts and .../marking-groups could not be imported
    /// back as it is (it says memberCode and expertIds where the imports said member and experts); it now imports
    /// unchanged. An entry giving both names is refused naming the second.
    /// </summary>
    [Fact]
    public async Task RosterAndGroupReads_ImportBackUnchanged_AsJson()
    {
        var s = await ScenarioAsync();
        foreach (var part in new[] { "competitors", "experts", "marking-groups" })
        {
            var read = await s.Organiser.GetStringAsync($"{s.Path}/{part}");
            Assert.Contains(part == "marking-groups" ? "\"expertIds\"" : "\"memberCode\"", read);
            var back = await Put(s, $"{s.Path}/{part}", read, "application/json");
            var text = await back.Content.ReadAsStringAsync();
            Assert.True(back.StatusCode == HttpStatusCode.OK, $"{part}: {text}");
            Assert.False(JsonDocument.Parse(text).RootElement.GetProperty("changed").GetBoolean(), $"{part}: {text}");
        }
        await Refused(s, $"{s.Path}/experts", """[{"id":"E-FR","member":"FR","memberCode":"FR","name":"Paul Durand","role":"Expert"}]""",
            "application/json", "row 1: memberCode", "json.alias-conflict");
        await Refused(s, $"{s.Path}/marking-groups", """[{"id":"G1","name":"Machining","targets":["A"],"experts":["E-FR"],"expertIds":["E-FR"]}]""",
            "application/json", "row 1: expertIds", "json.alias-conflict");
    }

    /// <summary>Found by an outside tester: these public reads had no ETag nor Cache-Control, though the docs say public reads do.</summary>
    [Fact]
    public async Task PublicReads_OfSkillsCompetitorsMembersAndOccupations_CarryAnETag_AndRevalidate()
    {
        var s = await ScenarioAsync();
        foreach (var path in new[] { s.Path, $"{s.Path}/competitors", "/api/members", "/api/occupations" })
        {
            var first = await s.Anonymous.GetAsync(path);
            Assert.Equal("public, no-cache", first.Headers.CacheControl?.ToString());
            var etag = first.Headers.ETag!;
            var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await s.Anonymous.SendAsync(again)).StatusCode);
        }
    }
}
