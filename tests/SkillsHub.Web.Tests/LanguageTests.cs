using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Security;
using SkillsHub.Testing;

namespace SkillsHub.Web.Tests;

/// <summary>
/// Chinese everywhere, also when something goes wrong (issue 18): server problems carry a stable code
/// the pages translate, decision reasons and import messages are shown in Chinese, a malformed
/// certificate number is called one, and switching language redraws what is already on the page
/// (docs/pages.md, "Languages").
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LanguageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>Latin words allowed on a Chinese page: codes, file formats, the language switch, and the names this test uses.</summary>
    static readonly string[] Allowed =
    [
        "SkillsHub", "English", "CN", "FR", "KR", "CSV", "ZIP", "PDF", "QR", "ID", "JSON", "HTTPS", "csv", "candidates", "results", "bad",
        "Li", "Na", "Wang", "Lei", "Wei", "Zhang", "Louis", "Martin", "Minjun", "Kim", "Sato", "Ken", "Park", "Ji", "Paul", "Durand", "Anna", "Schmidt", "WSC2024", "ZZ",
    ];

    [GeneratedRegex("[A-Za-z][A-Za-z0-9]+")]
    private static partial Regex LatinWord();

    [GeneratedRegex("^[A-Z]*[0-9][A-Z0-9]*$")]
    private static partial Regex CodeLike();

    /// <summary>The page's visible Latin words that are neither allowed nor codes (letters with digits, e.g. P0000002).</summary>
    static async Task<List<string>> EnglishOn(IPage page, string selector = "body")
    {
        var text = await page.Locator(selector).First.InnerTextAsync();
        // A chosen file's name is the user's, as a person's name is; a file's column names (code) are typed as they are.
        foreach (var file in (await page.Locator(".filepick-name").AllInnerTextsAsync()).Concat(await page.Locator(selector).First.Locator("code").AllInnerTextsAsync())
            .OrderByDescending(t => t.Length))
        {
            text = text.Replace(file, "", StringComparison.Ordinal);
        }
        return LatinWord().Matches(text).Select(m => m.Value).Where(w => !Allowed.Contains(w) && !CodeLike().IsMatch(w)).Distinct().ToList();
    }

    static async Task AssertChineseOnly(IPage page, string state, string selector = "body")
    {
        var english = await EnglishOn(page, selector);
        Assert.True(english.Count == 0, $"{state}: English on the Chinese page: {string.Join(' ', english)}");
        await AssertNoOverflow(page, state);
    }

    static async Task AssertNoOverflow(IPage page, string state)
    {
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(sizes[0] <= sizes[1], $"{state}: scrollWidth {sizes[0]} > innerWidth {sizes[1]}");
    }

    [Fact]
    public async Task ProblemDetails_CarryAStableCode()
    {
        using var client = browser.Node.Client();
        async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        var competition = await Problem(await client.GetAsync("/api/competitions/NOPE"), HttpStatusCode.NotFound);
        Assert.Equal("unknown-competition", competition.GetProperty("code").GetString());
        Assert.Equal("code", competition.GetProperty("field").GetString());
        Assert.Equal("Unknown competition", competition.GetProperty("title").GetString());

        var search = await Problem(await client.PostAsJsonAsync("/api/certificates/search", new { name = "", idNumber = "" }), HttpStatusCode.BadRequest);
        Assert.Equal("invalid-request", search.GetProperty("code").GetString());
        Assert.True(search.GetProperty("errors").TryGetProperty("idNumber", out _));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-endpoint");
        request.Headers.Accept.ParseAdd("application/json");
        var unknown = await Problem(await client.SendAsync(request), HttpStatusCode.NotFound);
        Assert.Equal("not-found", unknown.GetProperty("code").GetString());

        // A refused mark names its kind in the code (E-CN is not in group G2, which marks criterion B).
        var s = await MarkingScenario.CreateAsync(browser.Node);
        var refusal = await Problem(await MarkingScenario.Mark(s.Experts["E-CN"], "FR-07", "code-test-" + Guid.NewGuid().ToString("N"), new { aspectId = "B1.1", achieved = true }), HttpStatusCode.Forbidden);
        Assert.Equal("marks.not-assigned", refusal.GetProperty("code").GetString());
        Assert.Equal("NotAssigned", refusal.GetProperty("kind").GetString());
    }

    /// <summary>
    /// A link's ?lang= follows the language button, so a reload keeps the choice and other pages too (found by an outside
    /// tester: a reload of ?lang=en after pressing 中文 went back to English and remembered it).
    /// </summary>
    [Fact]
    public async Task TheLanguageButton_RewritesALinksChoice_SoAReloadKeepsIt()
    {
        var page = await browser.NewPageAsync(390, 844);
        await page.GotoAsync("/board/WSC2024/07?lang=en");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.Locator("#lang").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        Assert.EndsWith("/board/WSC2024/07?lang=zh", page.Url);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await page.GotoAsync("/board/WSC2024");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }

    [Fact]
    public async Task Verify_CallsAMalformedNumberNotACertificateNumber_InBothLanguages()
    {
        var page = await browser.NewPageAsync(390, 844);
        var lookups = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/api/certificates/", StringComparison.Ordinal)) Interlocked.Increment(ref lookups); };
        await page.GotoAsync("/verify/ABC123");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("\u201cABC123\u201d is not a certificate number. A number has 22 characters");
        await Assertions.Expect(page.Locator("#status")).Not.ToContainTextAsync("No certificate matches");
        await Screenshots.SaveAsync(page, "verify-malformed-en-phone.png");
        // Chinese on the English page is marked as such, and the language button speaks the language it switches to (WCAG
        // 3.1.2; found by an outside tester: both were read in an English voice).
        await Assertions.Expect(page.Locator("#lang > span[lang=zh-CN]")).ToHaveTextAsync("中文");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "中文", Exact = true })).ToHaveAccessibleDescriptionAsync("Language");
        await Assertions.Expect(page.Locator("footer span[lang=zh-CN]")).ToHaveTextAsync("人社鉴发〔2019〕2号");

        await page.Locator("#lang").ClickAsync();
        await Assertions.Expect(page.Locator("#lang > span[lang=en]")).ToHaveTextAsync("English");
        await Assertions.Expect(page.Locator("footer span[lang=zh-CN]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("\u201cABC123\u201d不是证书编号。证书编号共22位");
        await AssertChineseOnly(page, "verify, malformed");
        await Screenshots.SaveAsync(page, "verify-malformed-zh-phone.png");

        // From the form too, and a level digit outside 5..1 is malformed as well.
        await page.Locator("#number").FillAsync("S000031000005259000001");
        await page.Locator("#by-number button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("不是证书编号");
        // The field is marked and described by the message (WCAG 3.3.1; found by an outside tester).
        await Assertions.Expect(page.Locator("#number")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#number")).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("不是证书编号"));
        Assert.Equal(0, lookups);

        // A well-formed number that is not on file, with a name, is still "not found".
        await page.Locator("#proof-name").FillAsync("张伟");
        await page.Locator("#number").FillAsync("S000031000005255999999");
        await page.Locator("#by-number button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("未查到证书");
        await Assertions.Expect(page.Locator("#number")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        // Pasted with spaces around it, the number keeps all 22 characters (found by an outside tester: the field's length
        // limit counted the space and cut the last digit, and the page called the number malformed).
        await page.Locator("#number").FillAsync("  S000031000005255999998 ");
        await page.Locator("#by-number button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("未查到证书");
        await Assertions.Expect(page.Locator("#status")).Not.ToContainTextAsync("不是证书编号");
        // Copied in groups, or in full-width characters, it is the same number (found by an outside tester: "not a number").
        foreach (var grouped in new[] { "S000 0310 0000 5255 9999 97", "Ｓ０００ ０３１０００００５２５５９９９９９６" })
        {
            await page.Locator("#number").FillAsync(grouped);
            await page.Locator("#by-number button[type=submit]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/verify/S0000310000052559999{(grouped.StartsWith('S') ? "97" : "96")}$"));
            await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("未查到证书");
            await Assertions.Expect(page.Locator("#number")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        }

        // No answer to the number's lookup: said next to the number's form, not under the name and ID form.
        await page.RouteAsync("**/api/certificates/**", route => route.AbortAsync("internetdisconnected"));
        await page.Locator("#by-number button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#by-number #status")).ToContainTextAsync("无法连接服务器");
    }

    [Fact]
    public async Task Agency_InChinese_OnAPhone_RefusalsImportErrorsAndReasonsAreChinese_AndSwitchingLanguageRedrawsThem()
    {
        const string agency = "S000031000007", welder = "6-18-02-04";
        await browser.Node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(agency), "上海焊接技能评价站",
            [(welder, SkillLevel.Level5), (welder, SkillLevel.Level2)], default);
        var page = await browser.SignedInPageAsync("officer-lang-" + agency.ToLowerInvariant(), [Roles.AgencyOfficer], agency);
        await page.SetViewportSizeAsync(390, 844);
        await page.AddInitScriptAsync("if (!sessionStorage.getItem('started')) { sessionStorage.setItem('started', '1'); localStorage.setItem('skillshub.lang', 'zh'); }");
        await page.GotoAsync("/agency");
        await Assertions.Expect(page.Locator("#agency-name")).ToContainTextAsync(agency);
        await Assertions.Expect(page.Locator("#sessions")).ToHaveTextAsync("暂无批次。");
        await AssertChineseOnly(page, "agency, empty");
        await Screenshots.SaveAsync(page, "agency-zh-phone-empty.png", fullPage: true);
        // A field left empty is said in the page's language, not the browser's (found by an outside tester: Chromium's
        // "Please fill out this field." on a Chinese page, the browser being English).
        await page.Locator("#new-session button[type=submit]").ClickAsync();
        Assert.Equal("请填写此项。", await page.Locator("#exam-on").EvaluateAsync<string>("i => i.validationMessage"));

        // Refused by the server: an exam date out of range says, in Chinese, which dates are allowed (found by an outside
        // tester: the English page gave the range, the Chinese one only the field).
        await page.SelectOptionAsync("#occupation", welder);
        await page.SelectOptionAsync("#level", "5");
        await page.FillAsync("#exam-on", "1999-06-01");
        await page.Locator("#new-session button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(new Regex(
            @"^批次日期不可接受（考试日期）：考试日期须在 2000-01-01 至 \d{4}-\d{2}-\d{2}（今天起一年内）之间$"));
        // The refused field is marked and takes the focus (an outside tester: it stayed on the button).
        await Assertions.Expect(page.Locator("#exam-on")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#exam-on")).ToHaveAttributeAsync("aria-invalid", "true");
        // And described by the line that says why (found by an outside tester: "invalid entry" alone).
        await Assertions.Expect(page.Locator("#exam-on")).ToHaveAccessibleDescriptionAsync(new Regex("考试日期须在 2000-01-01"));
        await AssertChineseOnly(page, "agency, exam date refused");

        // Level 2 without a review date names the field in Chinese.
        await page.SelectOptionAsync("#level", "2");
        await page.FillAsync("#exam-on", "2025-06-01");
        await page.Locator("#new-session button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("请求内容有误（综合评审日期）：2 级和 1 级须填写综合评审日期");
        await Assertions.Expect(page.Locator("#review-on")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#exam-on")).Not.ToHaveAttributeAsync("aria-invalid", new Regex("."));
        await Assertions.Expect(page.Locator("#exam-on")).Not.ToHaveAttributeAsync("aria-describedby", new Regex("."));
        await Assertions.Expect(page.Locator("#review-on")).ToHaveAccessibleDescriptionAsync(new Regex("须填写综合评审日期"));
        await AssertChineseOnly(page, "agency, session refused");
        // Sent again with the exam date emptied: the browser stops it, and the refusal of the review date goes (found by an
        // outside tester: it stayed beside the browser's bubble on the exam date).
        await page.FillAsync("#exam-on", "");
        await page.Locator("#new-session button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("");
        await page.FillAsync("#exam-on", "2025-06-01");

        await page.SelectOptionAsync("#level", "5");
        await page.Locator("#new-session button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#session-panel")).ToBeVisibleAsync();
        // The file inputs speak the page's language, not the browser's (an outside tester: "Choose File / No file chosen").
        await Assertions.Expect(page.Locator("#session-panel .filepick-button").First).ToHaveTextAsync("选择文件");
        await Assertions.Expect(page.Locator("#session-panel .filepick-name").First).ToHaveTextAsync("未选择文件");
        await page.Locator("#rate").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("没有可评定的考生");
        await AssertChineseOnly(page, "agency, nothing to rate");

        // An import with errors: every line's message in Chinese.
        await page.SetInputFilesAsync("#candidates-file", new FilePayload
        {
            Name = "bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("""
                name,id_type,id_number,education,in_occupation_since,held_level,held_since
                王磊,resident,110101199003076510,none,2020-01-01,,
                李娜,passport,P0000009,none,2020-13-01,,
                ,passport,P0000010,none,2020-01-01,,
                """),
        });
        var progress = page.Locator("#progress");
        await browser.AfterJobAsync(Assertions.Expect(progress).ToContainTextAsync("bad.csv：发现 3 个问题，本文件的数据均未保存"));
        await Assertions.Expect(progress).ToContainTextAsync("第 2 行，证件号码：不是有效的 18 位居民身份证号码（校验位错误）");
        await Assertions.Expect(progress).ToContainTextAsync("第 3 行，从事本职业起始日期：“2020-13-01”不是有效日期（格式如 2025-06-01）");
        await Assertions.Expect(progress).ToContainTextAsync("第 4 行，姓名：必填");
        await AssertChineseOnly(page, "agency, import with errors");
        await Screenshots.SaveAsync(page, "agency-zh-phone-import-errors.png", fullPage: true);

        // A good import, results, and the decisions with their reasons.
        await page.SetInputFilesAsync("#candidates-file", new FilePayload
        {
            Name = "candidates.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("""
                name,id_type,id_number,education,in_occupation_since,held_level,held_since
                王磊,resident,11010119900307651X,none,2020-01-01,,
                李娜,passport,P0000009,none,2025-01-01,,
                赵敏,passport,P0000011,none,2020-01-01,,
                """),
        });
        await browser.AfterJobAsync(Assertions.Expect(progress).ToContainTextAsync("candidates.csv：已保存 3 行"));
        await page.SetInputFilesAsync("#results-file", new FilePayload
        {
            Name = "results.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("""
                id_type,id_number,theory,practical,review
                passport,P0000009,90,90,
                passport,P0000077,90,90,
                """),
        });
        await browser.AfterJobAsync(Assertions.Expect(progress).ToContainTextAsync("results.csv：发现 1 个问题，本文件的数据均未保存"));
        await Assertions.Expect(progress).ToContainTextAsync("第 3 行，证件号码：不是本批次的考生");
        await AssertChineseOnly(page, "agency, results with errors");
        await page.SetInputFilesAsync("#results-file", new FilePayload
        {
            Name = "results.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("""
                id_type,id_number,theory,practical,review
                resident,11010119900307651X,50,85,
                passport,P0000009,90,90,
                passport,P0000011,80,,
                """),
        });
        await browser.AfterJobAsync(Assertions.Expect(progress).ToContainTextAsync("results.csv：已保存 3 行"));
        // The rating's question in Chinese too.
        var question = "";
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.Locator("#rate").ClickAsync();
        var decisions = page.Locator("#decisions");
        // 赵敏 has no practical mark yet: not rated, and the run says so (docs/certification.md, "Jobs").
        await browser.AfterJobAsync(Assertions.Expect(progress).ToContainTextAsync("评定：3 / 3 — 1 人待录成绩"));
        // Asked about the two it decides; the one missing a result is said apart (found by an outside tester: it counted three).
        Assert.Matches(@"^评定批次 \d+ 中有成绩待评定的 2 名考生？.* 另有 1 名考生成绩不全，本次不评定。", question);
        await Assertions.Expect(decisions).ToContainTextAsync("需在本职业工作满 1 年或完成学徒培训；现为 0 年");
        await Assertions.Expect(decisions).ToContainTextAsync("理论知识考试不合格");
        await AssertChineseOnly(page, "agency, after rating");
        await Screenshots.SaveAsync(page, "agency-zh-phone-decisions.png", fullPage: true);

        // Switching language redraws what is already shown: progress lines, reasons, the status line.
        await page.Locator("#lang").ClickAsync();
        await Assertions.Expect(progress).ToContainTextAsync("bad.csv: 3 problems; nothing from this file was stored");
        await Assertions.Expect(progress).ToContainTextAsync("line 2, id_number: not a valid 18-character resident ID number");
        await Assertions.Expect(decisions).ToContainTextAsync("needs 1 year in the occupation or a completed apprenticeship; has 0");
        await Assertions.Expect(decisions).ToContainTextAsync("theory exam failed");
        await Assertions.Expect(progress).ToContainTextAsync("Rating: 3 / 3 — 1 await results");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Evaluation agency");
        await AssertNoOverflow(page, "agency in English, after rating");
        await Screenshots.SaveAsync(page, "agency-en-phone-decisions.png", fullPage: true);
        await page.Locator("#lang").ClickAsync();
        await Assertions.Expect(progress).ToContainTextAsync("第 4 行，姓名：必填");
        await Assertions.Expect(decisions).ToContainTextAsync("现为 0 年");
        await AssertChineseOnly(page, "agency, switched back to Chinese");
    }

    [Fact]
    public async Task Console_InChinese_RefusedImportsAndActionsAreChinese_RowByRow()
    {
        const string code = "LANG18";
        var organiser = await MarkingScenario.SignInAsync(browser.Node, "organiser-lang18", [Roles.Organiser]);
        (await organiser.PostAsJsonAsync("/api/competitions", new { code, name = "Language test", nameZh = "语言测试赛", city = "Shanghai", country = "China" })).EnsureSuccessStatusCode();
        (await organiser.PutAsync($"/api/competitions/{code}/skills", new StringContent("number,name_en,name_zh\n7,CNC Milling,数控铣\n", Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var page = await browser.SignedInPageAsync("organiser-lang18", [Roles.Organiser]);
        await page.SetViewportSizeAsync(768, 1024);
        page.SetDefaultTimeout(BrowserFixture.ActionTimeout);
        await page.AddInitScriptAsync($$"""if (!sessionStorage.getItem('started')) { sessionStorage.setItem('started', '1'); localStorage.setItem('skillshub.lang', 'zh'); localStorage.setItem('skillshub.console.selection', JSON.stringify({ code: '{{code}}', skill: 7 })); }""");
        await page.GotoAsync("/console/setup");
        // The section's own tab title and the menu's name are Chinese too.
        await Assertions.Expect(page).ToHaveTitleAsync("赛事设置 · SkillsHub 控制台");
        await Assertions.Expect(page.Locator("#nav")).ToHaveAttributeAsync("aria-label", "控制台");

        // A competitors file refused row by row: an unknown member and a two-person "team" on row 2, a bad id on row 4.
        await page.Locator("input[data-kind=competitors]").SetInputFilesAsync(new FilePayload
        {
            Name = "competitors.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("id,member,first_name,last_name\nFR-07,ZZ,Louis,Martin\nFR-07,ZZ,Paul,Durand\n7 7,KR,Minjun,Kim\n"),
        });
        var competitors = page.Locator("[data-import=competitors]");
        await competitors.Locator("button.primary").ClickAsync();
        var refused = competitors.Locator(".crefused");
        await Assertions.Expect(refused).ToContainTextAsync("文件被拒绝：选手文件未导入。未保存任何内容。");
        await Assertions.Expect(refused.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(refused).ToContainTextAsync("“ZZ”不是世界技能组织成员代码");
        await Assertions.Expect(refused).ToContainTextAsync("选手 FR-07 有 2 人，本项目每队 1 人");
        await Assertions.Expect(refused).ToContainTextAsync("“7 7”不是有效编号");
        await Assertions.Expect(refused.Locator("thead")).ToContainTextAsync("字段");
        await Assertions.Expect(refused.Locator("tbody")).ToContainTextAsync("成员");
        await AssertChineseOnly(page, "console, competitors refused", "[data-import=competitors] .crefused");
        await AssertNoOverflow(page, "console, competitors refused");

        // Excel's trailing empty column: the column by its place, in Chinese, not "unknown column ''" (found by an outside tester).
        await page.Locator("input[data-kind=competitors]").SetInputFilesAsync(new FilePayload
        {
            Name = "competitors.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("id,member,first_name,last_name,\nDE-07,DE,Max,Weber,\n"),
        });
        await competitors.Locator("button.primary").ClickAsync();
        await Assertions.Expect(refused.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(refused.Locator("tbody")).ToContainTextAsync("第 5 列");
        await Assertions.Expect(refused.Locator("tbody")).ToContainTextAsync("第 5 列没有列名");
        await Assertions.Expect(refused.Locator("tbody")).Not.ToContainTextAsync("column");

        // A JSON file's refusal names the JSON field (people[0].lastName), labelled in Chinese too.
        await page.Locator("input[data-kind=competitors]").SetInputFilesAsync(new FilePayload
        {
            Name = "competitors.json", MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""[{"id":"DE-07","member":"DE","people":[{"firstName":"Max","lastName":" "}]}]"""),
        });
        await competitors.Locator("button.primary").ClickAsync();
        await Assertions.Expect(refused.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(refused.Locator("tbody")).ToContainTextAsync("队员[0] 姓");
        await AssertChineseOnly(page, "console, JSON competitors refused", "[data-import=competitors] .crefused");


        // A file the page cannot parse: said in Chinese, without the browser's English parser message.
        await page.Locator("input[data-kind=scheme]").SetInputFilesAsync(new FilePayload { Name = "scheme.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes("{\"criteria\": [") });
        await Assertions.Expect(page.Locator("[data-import=scheme] .cerror")).ToHaveTextAsync("无法按 JSON 格式读取文件，请检查文件内容。");
        await AssertChineseOnly(page, "console, unreadable file", "[data-import=scheme]");

        // A marking scheme refused: an unknown aspect type, a marking day that is not a C-day, a total that is not 100.
        await page.Locator("input[data-kind=scheme]").SetInputFilesAsync(new FilePayload
        {
            Name = "scheme.json", MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""
                {"criteria":[{"id":"A","name":"加工","subCriteria":[{"id":"A1","name":"尺寸","aspects":[
                  {"id":"A1.1","type":"M","description":"外形尺寸","markingDay":"D1","maxMark":40},
                  {"id":"A1.2","type":"X","description":"表面","markingDay":"C1","maxMark":20}]}]}]}
                """),
        });
        var scheme = page.Locator("[data-import=scheme]");
        await Assertions.Expect(scheme.Locator(".cpreview")).ToBeVisibleAsync();
        await scheme.Locator("button.primary").ClickAsync();
        var schemeRefused = scheme.Locator(".crefused");
        await Assertions.Expect(schemeRefused).ToContainTextAsync("文件被拒绝：评分方案未导入。");
        await Assertions.Expect(schemeRefused).ToContainTextAsync("评分项类型“X”无效，应为 M 或 J");
        await Assertions.Expect(schemeRefused).ToContainTextAsync("评分项 A1.1 的评分日 D1 无效，应为 C1、C2、C3 等");
        await AssertChineseOnly(page, "console, scheme refused", "[data-import=scheme] .crefused");
        await scheme.ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "console-zh-tablet-import-refused.png", fullPage: true);

        // A refused action: the competition code is taken by a different competition, and a code that is not one.
        await page.Locator("details.cpanel summary").First.ClickAsync();
        var form = page.Locator("#create-competition");
        await form.Locator("input[name=code]").FillAsync(code);
        await form.Locator("input[name=name]").FillAsync("另一个比赛");
        await form.Locator("input[name=city]").FillAsync("上海");
        await form.Locator("input[name=country]").FillAsync("中国");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(form.Locator(".cerror")).ToHaveTextAsync("错误：赛事代码已存在"); // the text names its field already
        await AssertChineseOnly(page, "console, create refused", "#create-competition");
        await form.Locator("input[name=code]").FillAsync("x");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(form.Locator(".cerror")).ToHaveTextAsync("错误：未能创建赛事（代码）");
        // With the reason in Chinese, the field marked and holding the focus (an outside tester: no reason, no mark, and the
        // focus fell to the page).
        await Assertions.Expect(form.Locator(".crefused li")).ToHaveTextAsync("代码：代码为 3 至 16 位字母或数字，例如 NSC2026。");
        await Assertions.Expect(form.Locator("input[name=code]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form.Locator("input[name=code]")).ToBeFocusedAsync();
        await AssertChineseOnly(page, "console, create invalid", "#create-competition");
        await Screenshots.SaveAsync(page, "console-zh-tablet-action-refused.png");

        // The same refusal in English keeps the server's words.
        await page.Locator("#lang").ClickAsync();
        // The switch keeps what the page showed, in English now: the form open with its values and refusal, the import
        // cards' refused rows and files (an outside tester: the switch emptied them).
        await Assertions.Expect(form.Locator("input[name=code]")).ToHaveValueAsync("x");
        await Assertions.Expect(form.Locator("input[name=code]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form.Locator(".crefused")).ToContainTextAsync("The code is 3 to 16 letters or digits");
        await Assertions.Expect(page.Locator("[data-import=scheme] .crefused")).ToContainTextAsync("The file was refused");
        await Assertions.Expect(page.Locator("[data-import=scheme] .filepick-name")).ToHaveTextAsync("scheme.json");
        await Assertions.Expect(page.Locator("[data-import=competitors] .crefused tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-import=competitors] .crefused tbody")).ToContainTextAsync("people[0].lastName");
        await page.Locator("input[data-kind=competitors]").SetInputFilesAsync(new FilePayload
        {
            Name = "competitors.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("id,member,first_name,last_name\nFR-07,ZZ,Louis,Martin\n"),
        });
        await page.Locator("[data-import=competitors] button.primary").ClickAsync();
        await Assertions.Expect(page.Locator("[data-import=competitors] .crefused")).ToContainTextAsync("The file was refused: The competitors file was not imported.");
        await Assertions.Expect(page.Locator("[data-import=competitors] .crefused")).ToContainTextAsync("'ZZ' is not a WorldSkills member code.");
    }

    [Fact]
    public async Task JudgeApp_InChinese_RefusalsAreChinese()
    {
        var s = await MarkingScenario.CreateAsync(browser.Node);
        var page = await browser.NewPageAsync(768, 1024, "zh-CN");
        page.SetDefaultTimeout(BrowserFixture.ActionTimeout);
        await page.GotoAsync("/judge");
        await page.Locator("#pair-code").FillAsync("ZZZZ-ZZZZ");
        await page.Locator("#pair-device").FillAsync("平板");
        await page.Locator("#pair-code").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#pair-message")).ToContainTextAsync("配对码无效、已过期或已使用");
        await AssertChineseOnly(page, "judge, pairing refused");
        await Screenshots.SaveAsync(page, "judge-zh-pairing-refused.png");
        // The console's Chief Expert pairing says the same, without the field's generic name after it (an outside tester:
        // "…配对码（代码）").
        var console = await browser.NewPageAsync(768, 1024, "zh-CN");
        await console.GotoAsync("/console");
        await console.Locator("#pair-form input[name=code]").FillAsync("ZZZZZ-ZZZZZ");
        await console.Locator("#pair-form button[type=submit]").ClickAsync();
        var refused = console.Locator("#pair-form .cerror");
        await Assertions.Expect(refused).ToContainTextAsync("配对码无效、已过期或已使用");
        await Assertions.Expect(refused).Not.ToContainTextAsync("代码");

        // A spread refusal: another judge of the group gave 0, this tablet gives 3.
        var code = (await (await s.Organiser.PostAsJsonAsync($"{MarkingScenario.SkillPath}/pairing-codes", new { expertId = "E-KR" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await MarkingScenario.Mark(s.Experts["E-FR"], "CN-07", "lang-spread-" + Guid.NewGuid().ToString("N"), new { aspectId = "B1.2", score = 0 })).StatusCode);
        await page.Locator("#pair-code").FillAsync(code);
        await page.Locator("#pair-device").FillAsync("平板");
        await page.Locator("#pair-code").PressAsync("Enter");
        await page.Locator("a.jcompetitor[data-competitor='CN-07']").ClickAsync();
        var aspect = page.Locator("article.jaspect[data-aspect='B1.2']");
        await aspect.Locator("button[data-score='3']").ClickAsync();
        await Assertions.Expect(aspect.Locator(".jstatus .jstate")).ToHaveAttributeAsync("data-state", "refused");
        await Assertions.Expect(aspect.Locator(".jspread")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(800); // the sheet refresh after a refusal re-renders the form
        // The aspect's description and descriptors are the imported scheme's own words; its state and the warning are the app's.
        await AssertChineseOnly(page, "judge, spread warning", "article.jaspect[data-aspect='B1.2'] .jspread");
        await AssertChineseOnly(page, "judge, refused state", "article.jaspect[data-aspect='B1.2'] .jstatus");
        await Screenshots.SaveAsync(page, "judge-zh-spread-refused.png", fullPage: true);
    }

    /// <summary>
    /// No answer from the server is named in the page's language, never the browser's English "Failed to fetch" (an
    /// outside tester: "无法加载赛事：Failed to fetch"), and the landing page reads its list again until it comes.
    /// </summary>
    /// <summary>
    /// A database outage is said to a person in the page's words with its wait, once: not the API's advice to resend with the
    /// same Idempotency-Key, and in Chinese not "try again" twice (found by an outside tester).
    /// </summary>
    [Theory]
    [InlineData("en-GB", "The database is unavailable for a moment. Try again in 5 s.")]
    [InlineData("zh-CN", "数据库暂时不可用，请在 5 秒后重试。")]
    public async Task ADatabaseOutage_IsSaidOnce_InThePagesWords(string locale, string said)
    {
        var page = await browser.NewPageAsync(390, 844, locale);
        await page.RouteAsync("**/api/**", route => route.FulfillAsync(new()
        {
            Status = 503, ContentType = "application/problem+json", Headers = new Dictionary<string, string> { ["Retry-After"] = "5" },
            Body = """{"title":"Database unavailable","status":503,"detail":"The database is not reachable at the moment. Nothing was lost: retry in 5 s with the same Idempotency-Key.","code":"database-unavailable","retryAfter":5}""",
        }));
        await page.GotoAsync("/verify/S000031000001255000001");
        await page.FillAsync("#proof-name", "张伟");
        await page.Locator("#by-number button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(said);
    }

    [Fact]
    public async Task NetworkFailures_AreNamedInThePagesLanguage_AndTheLandingPageRetries()
    {
        var page = await browser.NewPageAsync(390, 844, "zh-CN");
        await page.RouteAsync("**/api/**", route => route.AbortAsync("internetdisconnected"));
        await page.GotoAsync("/verify/S000031000001255000001");
        await page.FillAsync("#proof-name", "张伟");
        await page.Locator("#by-number button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("无法连接服务器，请检查网络连接");
        await Assertions.Expect(page).ToHaveTitleAsync("证书查询 · SkillsHub");
        await Screenshots.SaveAsync(page, "verify-offline-zh.png");

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("无法连接服务器，请检查网络连接。");
        await Assertions.Expect(page.Locator("#status")).Not.ToContainTextAsync("Failed");
        await Screenshots.SaveAsync(page, "landing-offline-zh.png");
        await page.UnrouteAllAsync();
        var lyon = page.Locator("article.card[data-code=WSC2024]");
        await Assertions.Expect(lyon).ToBeVisibleAsync(new() { Timeout = 40_000 });
        // The skills toggle says whether its list is open (an outside tester: no aria-expanded).
        var toggle = lyon.Locator("button.secondary");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.ClickAsync();
        await Assertions.Expect(lyon.Locator("button.secondary")).ToHaveAttributeAsync("aria-expanded", "true");
    }
}
