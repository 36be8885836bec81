using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using SkillsHub.Abstractions;
using SkillsHub.Domain;
using SkillsHub.Domain.Marking;

namespace SkillsHub.Server.Competitions;

public sealed record Parsed<T>(IReadOnlyList<T> Items, IReadOnlyList<RowError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Competitors, experts, marking groups and skills from CSV (header row) or JSON (array). Every row is
/// checked and every problem reported with its row and field; the caller stores nothing unless all pass.
/// </summary>
public static partial class RosterImport
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true };

    public sealed record CompetitorJson(string? Id, string? Member, string? Name, List<PersonJson>? People);

    public sealed record PersonJson(string? FirstName, string? LastName);

    public sealed record ExpertJson(string? Id, string? Member, string? Name, string? Role);

    public sealed record GroupJson(string? Id, string? Name, List<string>? Targets, List<string>? Experts);

    public sealed record SkillJson(int? Number, string? Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge);

    /// <param name="onePerMember">
    /// The skill's current competitors when a member may enter one competitor (or team) per skill, as at
    /// WorldSkills; null when the competition allows several (docs/scoring.md, "Competitors per member").
    /// </param>
    public static Parsed<CompetitorInfo> Competitors(string body, bool csv, IReadOnlySet<string> members, int teamSize, IReadOnlyList<CompetitorInfo>? onePerMember = null)
    {
        var errors = new List<RowError>();
        var rows = new List<(int Row, CompetitorJson Item)>();
        if (csv)
        {
            foreach (var (row, get) in ReadCsv(body, ["id", "member", "first_name", "last_name"], errors))
            {
                rows.Add((row, new CompetitorJson(get("id"), get("member"), get("team"), [new PersonJson(get("first_name"), get("last_name"))])));
            }
            // Rows sharing an id are the members of one team.
            rows = rows.GroupBy(r => r.Item.Id ?? "", StringComparer.Ordinal)
                .Select(g => (g.First().Row, g.First().Item with { People = g.SelectMany(r => r.Item.People!).ToList() }))
                .ToList();
        }
        else
        {
            rows = FromJson<CompetitorJson>(body, errors);
        }
        var items = new List<CompetitorInfo>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (row, c) in rows)
        {
            var before = errors.Count;
            var id = UniqueId(c.Id, row, ids, "Competitor id", RowCodes.DuplicateCompetitor, errors);
            var member = Member(c.Member, row, members, errors);
            var people = (c.People ?? []).Where(p => !string.IsNullOrWhiteSpace(p.FirstName) || !string.IsNullOrWhiteSpace(p.LastName))
                .Select(p => new PersonName(Nfc(p.FirstName), Nfc(p.LastName))).ToList();
            foreach (var p in people)
            {
                Text(p.FirstName, row, "first_name", errors);
                Text(p.LastName, row, "last_name", errors);
            }
            Text(c.Name, row, "name", errors);
            if (people.Count == 0)
            {
                errors.Add(new RowError(row, "first_name", "A competitor needs a first and last name (each team member on their own row).", RowCodes.CompetitorNeedsName));
            }
            else if (people.Count != teamSize)
            {
                errors.Add(new RowError(row, "id", $"Competitor '{id}' has {people.Count} people; this skill's team size is {teamSize}.", RowCodes.TeamSize, RowCodes.Args(("id", id), ("people", people.Count), ("teamSize", teamSize))));
            }
            if (errors.Count == before)
            {
                var name = !string.IsNullOrWhiteSpace(c.Name) ? Nfc(c.Name)
                    : people.Count == 1 ? $"{people[0].FirstName} {people[0].LastName}" : string.Join(" & ", people.Select(p => p.LastName));
                items.Add(new CompetitorInfo(id!, member!, name, people));
            }
        }
        if (onePerMember is not null)
        {
            var imported = items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            var byMember = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var kept in onePerMember.Where(c => !imported.Contains(c.Id)))
            {
                byMember.TryAdd(kept.MemberCode, kept.Id);
            }
            foreach (var (row, c) in rows)
            {
                if (items.FirstOrDefault(i => i.Id == c.Id?.Trim()) is { } item && !byMember.TryAdd(item.MemberCode, item.Id))
                {
                    errors.Add(new RowError(row, "member", $"Member {item.MemberCode} already has competitor '{byMember[item.MemberCode]}' in this skill; a member enters one competitor or team per skill.", RowCodes.OnePerMember, RowCodes.Args(("member", item.MemberCode), ("competitor", byMember[item.MemberCode]))));
                }
            }
        }
        return new Parsed<CompetitorInfo>(items, errors);
    }

    public static Parsed<ExpertInfo> Experts(string body, bool csv, IReadOnlySet<string> members)
    {
        var errors = new List<RowError>();
        var rows = csv
            ? ReadCsv(body, ["id", "member", "name", "role"], errors).Select(r => (r.Row, new ExpertJson(r.Get("id"), r.Get("member"), r.Get("name"), r.Get("role")))).ToList()
            : FromJson<ExpertJson>(body, errors);
        var items = new List<ExpertInfo>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (row, e) in rows)
        {
            var before = errors.Count;
            var id = UniqueId(e.Id, row, ids, "Expert id", RowCodes.DuplicateExpert, errors);
            var member = Member(e.Member, row, members, errors);
            if (string.IsNullOrWhiteSpace(e.Name))
            {
                errors.Add(new RowError(row, "name", "The expert's name is required.", RowCodes.ExpertNameRequired));
            }
            Text(e.Name, row, "name", errors);
            var role = Role(e.Role);
            if (role is null)
            {
                errors.Add(new RowError(row, "role", $"Role '{e.Role}' is not one of: Chief Expert, Deputy Chief Expert, Expert.", RowCodes.UnknownRole, RowCodes.Args(("role", e.Role))));
            }
            if (errors.Count == before)
            {
                items.Add(new ExpertInfo(id!, member!, Nfc(e.Name), role!.Value));
            }
        }
        if (items.Count(e => e.Role == ExpertRole.ChiefExpert) > 1)
        {
            errors.Add(new RowError(null, "role", "A skill has one Chief Expert.", RowCodes.OneChiefExpert));
        }
        return new Parsed<ExpertInfo>(items, errors);
    }

    public static Parsed<MarkingGroup> Groups(string body, bool csv)
    {
        var errors = new List<RowError>();
        var rows = csv
            ? ReadCsv(body, ["id", "name", "targets", "experts"], errors).Select(r => (r.Row, new GroupJson(r.Get("id"), r.Get("name"), SplitList(r.Get("targets")), SplitList(r.Get("experts"))))).ToList()
            : FromJson<GroupJson>(body, errors);
        var items = new List<MarkingGroup>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (row, g) in rows)
        {
            var before = errors.Count;
            var id = UniqueId(g.Id, row, ids, "Marking group", RowCodes.DuplicateGroup, errors);
            Text(g.Name, row, "name", errors);
            var targets = (g.Targets ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
            var experts = (g.Experts ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
            if (targets.Count == 0)
            {
                errors.Add(new RowError(row, "targets", "List the criteria, sub-criteria or aspects this group marks.", RowCodes.GroupNeedsTargets));
            }
            if (experts.Count == 0)
            {
                errors.Add(new RowError(row, "experts", "List the experts of this group.", RowCodes.GroupNeedsExperts));
            }
            if (errors.Count == before)
            {
                items.Add(new MarkingGroup(id!, string.IsNullOrWhiteSpace(g.Name) ? id! : Nfc(g.Name), targets, experts));
            }
        }
        return new Parsed<MarkingGroup>(items, errors);
    }

    public static Parsed<SkillJson> Skills(string body, bool csv)
    {
        var errors = new List<RowError>();
        var rows = csv
            ? ReadCsv(body, ["number", "name_en"], errors).Select(r => (r.Row, new SkillJson(
                IntOrNull(r.Get("number"), r.Row, "number", errors), r.Get("name_en"), r.Get("name_zh"), r.Get("sector"),
                IntOrNull(r.Get("team_size"), r.Row, "team_size", errors), IntOrNull(r.Get("competitor_max_age"), r.Row, "competitor_max_age", errors)))).ToList()
            : FromJson<SkillJson>(body, errors);
        var items = new List<SkillJson>();
        var numbers = new HashSet<int>();
        foreach (var (row, s) in rows)
        {
            var before = errors.Count;
            if (!Identifiers.IsSkillNumber(s.Number))
            {
                errors.Add(new RowError(row, "number", "The skill number must be between 1 and 99.", RowCodes.SkillNumber));
            }
            else if (!numbers.Add(s.Number.Value))
            {
                errors.Add(new RowError(row, "number", $"Skill {s.Number} appears twice.", RowCodes.DuplicateSkill, RowCodes.Args(("number", s.Number))));
            }
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                errors.Add(new RowError(row, "name_en", "The skill name is required.", RowCodes.SkillNameRequired));
            }
            Text(s.Name, row, "name_en", errors);
            Text(s.NameZh, row, "name_zh", errors);
            Text(s.Sector, row, "sector", errors);
            if (s.TeamSize is not null and not (1 or 2 or 3))
            {
                errors.Add(new RowError(row, "team_size", "Team size is 1, 2 or 3.", RowCodes.TeamSizeRange));
            }
            if (errors.Count == before)
            {
                items.Add(s with { Name = Nfc(s.Name), NameZh = Blank(s.NameZh), Sector = Blank(s.Sector) });
            }
        }
        return new Parsed<SkillJson>(items, errors);
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : Nfc(value);

    /// <summary>Names are stored NFC-normalised (docs/security.md).</summary>
    static string Nfc(string? value) => Domain.Text.TextInput.Normalise(value ?? "");

    /// <summary>Control and bidi characters are refused with the row and field (docs/security.md).</summary>
    static void Text(string? value, int row, string field, List<RowError> errors)
    {
        if (Domain.Text.TextInput.FaultOf(value) is { } fault)
        {
            errors.Add(new RowError(row, field, fault));
        }
    }

    static int? IntOrNull(string? value, int row, string field, List<RowError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        errors.Add(new RowError(row, field, $"'{value}' is not a whole number.", RowCodes.NotAWholeNumber, RowCodes.Args(("value", value))));
        return null;
    }

    static List<string> SplitList(string? value) =>
        (value ?? "").Split([';', ',', ' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>The row's id (<see cref="Id"/>), refused with <paramref name="duplicateCode"/> when an earlier row has it.</summary>
    static string? UniqueId(string? value, int row, HashSet<string> ids, string what, string duplicateCode, List<RowError> errors)
    {
        var id = Id(value, row, errors);
        if (id is not null && !ids.Add(id))
        {
            errors.Add(new RowError(row, "id", $"{what} '{id}' appears twice.", duplicateCode, RowCodes.Args(("id", id))));
        }
        return id;
    }

    static string? Id(string? value, int row, List<RowError> errors)
    {
        var id = value?.Trim();
        if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id))
        {
            errors.Add(new RowError(row, "id", $"'{value}' is not a valid id (letters, digits, '-', '_' or '.', up to 40 characters).", RowCodes.InvalidId, RowCodes.Args(("value", value))));
            return null;
        }
        return id;
    }

    static string? Member(string? value, int row, IReadOnlySet<string> members, List<RowError> errors)
    {
        var code = value?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code) || !members.Contains(code))
        {
            errors.Add(new RowError(row, "member", $"'{value}' is not a WorldSkills member code.", RowCodes.UnknownMember, RowCodes.Args(("value", value))));
            return null;
        }
        return code;
    }

    static ExpertRole? Role(string? value) => (value ?? "").Replace(" ", "").Replace("-", "").ToLowerInvariant() switch
    {
        "chiefexpert" or "ce" => ExpertRole.ChiefExpert,
        "deputychiefexpert" or "dce" or "deputy" => ExpertRole.DeputyChiefExpert,
        "expert" or "" => ExpertRole.Expert,
        _ => null,
    };

    static List<(int Row, T Item)> FromJson<T>(string body, List<RowError> errors)
    {
        try
        {
            var items = JsonSerializer.Deserialize<List<T?>>(body, Json) ?? [];
            var result = new List<(int, T)>();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is { } item)
                {
                    result.Add((i + 1, item));
                }
                else
                {
                    errors.Add(new RowError(i + 1, "body", "Null entry.", RowCodes.JsonNullEntry));
                }
            }
            return result;
        }
        catch (JsonException e)
        {
            errors.Add(new RowError(null, string.IsNullOrEmpty(e.Path) ? "body" : e.Path, $"Malformed JSON (line {e.LineNumber + 1}): expected an array of objects.", RowCodes.JsonMalformed, RowCodes.Args(("line", e.LineNumber + 1))));
            return [];
        }
    }

    /// <summary>Rows of a headed CSV file; the row number is the file's line number (header = 1).</summary>
    static List<(int Row, Func<string, string?> Get)> ReadCsv(string body, string[] required, List<RowError> errors)
    {
        var rows = new List<(int, Func<string, string?>)>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant().Replace(' ', '_'),
            TrimOptions = TrimOptions.Trim,
            DetectDelimiter = true,
            BadDataFound = args => errors.Add(new RowError(args.Context.Parser?.Row, "csv", $"Malformed CSV: {args.RawRecord.Trim()}", RowCodes.CsvMalformed, RowCodes.Args(("near", args.RawRecord.Trim())))),
            MissingFieldFound = null,
        };
        using var reader = new CsvReader(new StringReader(body), config);
        try
        {
            if (!reader.Read() || !reader.ReadHeader())
            {
                errors.Add(new RowError(null, "csv", "The file is empty; the first row must name the columns.", RowCodes.CsvEmpty));
                return rows;
            }
            var headers = reader.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant().Replace(' ', '_')).ToHashSet();
            var missing = required.Where(r => !headers.Contains(r)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(new RowError(1, "csv", $"Missing column(s): {string.Join(", ", missing)}. Expected at least: {string.Join(", ", required)}.", RowCodes.CsvMissingColumns, RowCodes.Args(("missing", string.Join(", ", missing)), ("expected", string.Join(", ", required)))));
                return rows;
            }
            while (reader.Read())
            {
                var values = headers.ToDictionary(h => h, h => reader.TryGetField<string>(h, out var v) ? v : null);
                rows.Add((reader.Parser.Row, h => values.GetValueOrDefault(h) is { Length: > 0 } v ? v : null));
            }
        }
        catch (CsvHelperException e)
        {
            errors.Add(new RowError(e.Context?.Parser?.Row, "csv", "Malformed CSV: " + e.Message.Split('\n')[0], RowCodes.CsvMalformed, RowCodes.Args(("near", ""))));
        }
        return rows;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    private static partial Regex IdPattern();
}
