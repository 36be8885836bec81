using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// Marking schemes as JSON (camelCase, see docs/scoring.md). Reading goes through nullable DTOs so a
/// missing or mistyped field becomes a <see cref="SchemeProblem"/>, never an exception.
/// </summary>
public static class SchemeJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A property given twice ("maxMark": 50, "maxMark": 20) is ambiguous: refused, not "the last one wins".
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A mark with more digits than a decimal holds is refused, not rounded (docs/security.md, "Numbers").
        Converters = { new Text.ExactDecimal.Converter() },
    };

    /// <summary>
    /// An uploaded scheme's property the scheme does not have ("requirment" for "requirement") is refused, naming it, as in
    /// the other setup imports: ignored, the text it carried was lost without a word (found by an outside tester). A stored
    /// scheme is read as before.
    /// </summary>
    private static readonly JsonSerializerOptions ImportOptions = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Reads a scheme as stored or sent; see <see cref="Import(string)"/> for a file someone uploads.</summary>
    public static SchemeImport Parse(string json) => Parse(json, import: false);

    /// <summary>
    /// Reads an uploaded scheme: as <see cref="Parse(string)"/>, and every text field must also pass the
    /// text rule (docs/security.md; a problem names the aspect or criterion and the field) and is kept NFC-normalised.
    /// </summary>
    public static SchemeImport Import(string json) => Parse(json, import: true);

    /// <summary>
    /// Reads an uploaded scheme as <see cref="Import(string)"/>, titled as a CSV sheet is (docs/scoring.md, "Import formats"):
    /// <paramref name="askedTitle"/> (the import's <c>?title=</c>) when given, else the file's own title, else
    /// <paramref name="fallbackTitle"/> (the stored scheme's, else "{skill name} marking scheme"). The title asked for is
    /// checked like the file's (found by an outside tester: a JSON import ignored <c>?title=</c>, 201 characters long too,
    /// and a file without a title blanked the stored one).
    /// </summary>
    public static SchemeImport Import(string json, string? askedTitle, string fallbackTitle) =>
        Parse(json, import: true, title => askedTitle ?? (string.IsNullOrWhiteSpace(title) ? fallbackTitle : title));

    private static SchemeImport Parse(string json, bool import, Func<string, string>? titled = null)
    {
        var problems = new List<SchemeProblem>();
        SchemeDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<SchemeDto>(json, import ? ImportOptions : Options);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            // The problem names the property at fault by its path (criteria[0].subCriteria[0].aspects[0].maxMark), as the other
            // imports' do; the whole file only when the syntax itself is broken (found by an outside tester: always "File").
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
            if (ex is Text.ExactDecimal.TooManyDigits && path is not null)
            {
                // Well-formed, a value refused (found by an outside tester: "check the syntax" for 1e-30).
                problems.Add(new(line, null, path, $"{path} has more digits than a mark holds (28 significant digits, 28 places); it would be rounded.",
                    RowCodes.JsonTooManyDigits, RowCodes.Args(("field", path))));
                return new SchemeImport(null, problems);
            }
            if (ex is Text.ExactDecimal.OutOfRange && path is not null)
            {
                problems.Add(new(line, null, path, $"{path} is beyond the largest number a mark holds.", RowCodes.JsonOutOfRange, RowCodes.Args(("field", path))));
                return new SchemeImport(null, problems);
            }
            var why = ex.Message.StartsWith("Duplicate property", StringComparison.Ordinal) ? "a property is given twice"
                : ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "a marking scheme has no such property"
                : "check the syntax and that every mark is a number";
            problems.Add(new(line, null, path ?? "File", $"The JSON cannot be read at line {line}{(path is null ? "" : $" ({path})")}: {why}.", RowCodes.JsonMalformed, RowCodes.Args(("line", line))));
            return new SchemeImport(null, problems);
        }

        if (dto is null)
        {
            problems.Add(new(null, null, "File", "The JSON is empty; expected an object with \"criteria\".", RowCodes.CsvEmpty));
            return new SchemeImport(null, problems);
        }

        problems.AddRange(NullEntries(dto));
        if (problems.Count > 0)
        {
            return new SchemeImport(null, problems);
        }
        var unreadable = new Unreadable();
        var scheme = FromDto(dto, problems, unreadable);
        if (titled is not null)
        {
            scheme = scheme with { Title = titled(scheme.Title) };
        }
        if (import)
        {
            scheme = SchemeText.Checked(scheme, problems);
        }
        return SchemeImport.From(scheme, problems, static _ => null, JsonField, unreadable.Follows);
    }

    /// <summary>
    /// The aspects whose own fields could not be read (a type, a max mark, a band or a deduction): in the tree, so their
    /// sub-criterion is not reported empty, but what the validator finds about them only repeats that, and so does the
    /// scheme's total when a max mark is unknown. One mistake is one problem, as in a sheet (docs/scoring.md, "Setup
    /// imports"; found by an outside tester: a type of "X" also gave "the scheme totals 50.00 marks").
    /// </summary>
    private sealed class Unreadable
    {
        private readonly HashSet<string> _aspects = new(StringComparer.Ordinal);
        private bool _maxUnknown;

        public void Add(string id, bool maxUnknown)
        {
            if (id.Length > 0)
            {
                _aspects.Add(id);
            }
            _maxUnknown |= maxUnknown;
        }

        public bool Follows(SchemeProblem problem) => (problem.Id is { } id && _aspects.Contains(id)) || (_maxUnknown && problem.Field == "Total");
    }

    /// <summary>
    /// The JSON property for a field the validator names by the scheme's model (<c>MaxMark</c>, <c>CriterionId</c>), so that a
    /// JSON file's problems name its own properties (<c>A1.1: maxMark</c>, <c>criteria</c>) as a sheet's name its columns
    /// (docs/scoring.md, "Setup imports"; found by an outside tester: a JSON scheme without criteria was refused naming Criteria).
    /// </summary>
    internal static string JsonField(string field) => field switch
    {
        "CriterionId" or "SubCriterionId" or "AspectId" => "id",
        "CriterionName" or "SubCriterionName" => "name",
        [var first, .. var rest] when char.IsUpper(first) => char.ToLowerInvariant(first) + rest,
        _ => field,
    };

    public static SchemeImport Parse(TextReader reader) => Parse(reader.ReadToEnd());

    public static string Write(MarkingScheme scheme) => JsonSerializer.Serialize(ToDto(scheme), Options) + "\n";

    /// <summary>
    /// A null where a criterion, sub-criterion or aspect belongs, named by its path (<c>criteria[0].subCriteria[0].aspects[1]</c>),
    /// as the other imports name theirs (docs/scoring.md, "Setup imports"; found by an outside tester: it was read as an
    /// empty aspect, refused as "Aspect '' has no type").
    /// </summary>
    private static IEnumerable<SchemeProblem> NullEntries(SchemeDto dto)
    {
        static SchemeProblem Null(string at) =>
            new(null, null, at, $"{at} is null; give a value or leave the entry out.", RowCodes.JsonNullItem, RowCodes.Args(("field", at)));
        var criteria = dto.Criteria ?? [];
        for (var c = 0; c < criteria.Count; c++)
        {
            if (criteria[c] is not { } criterion)
            {
                yield return Null($"criteria[{c}]");
                continue;
            }
            var subs = criterion.SubCriteria ?? [];
            for (var sc = 0; sc < subs.Count; sc++)
            {
                if (subs[sc] is not { } sub)
                {
                    yield return Null($"criteria[{c}].subCriteria[{sc}]");
                    continue;
                }
                var aspects = sub.Aspects ?? [];
                for (var a = 0; a < aspects.Count; a++)
                {
                    if (aspects[a] is null)
                    {
                        yield return Null($"criteria[{c}].subCriteria[{sc}].aspects[{a}]");
                    }
                }
            }
        }
    }

    private static MarkingScheme FromDto(SchemeDto dto, List<SchemeProblem> problems, Unreadable unreadable) => new(
        dto.Title ?? "",
        (dto.Criteria ?? []).Select(c => new Criterion(
            c?.Id ?? "",
            c?.Name ?? "",
            (c?.SubCriteria ?? []).Select(s => new SubCriterion(
                s?.Id ?? "",
                s?.Name ?? "",
                (s?.Aspects ?? []).Select(a => FromDto(a ?? new AspectDto(), problems, unreadable)).ToValueList()))
            .ToValueList()))
        .ToValueList());

    private static Aspect FromDto(AspectDto a, List<SchemeProblem> problems, Unreadable unreadable)
    {
        var id = a.Id ?? "";
        var ok = true;
        var type = AspectType.Measurement;
        if (string.IsNullOrWhiteSpace(a.Type))
        {
            problems.Add(new(null, id, "type", $"Aspect '{id}' has no type; use M or J.", RowCodes.AspectType, RowCodes.Args(("type", ""))));
            ok = false;
        }
        // The text rule first, as for every other field (docs/security.md): a control or bidi character is named, never
        // echoed back in the message (found by an outside tester: "M\u202E" came back as it was, reversing the text after it).
        else if (Text.TextInput.FaultOf(a.Type, multiline: false) is { } typeFault)
        {
            problems.Add(new(null, id, "type", typeFault));
            ok = false;
        }
        else if (!SchemeCsv.TryParseAspectType(a.Type, out type))
        {
            problems.Add(new(null, id, "type", $"Aspect type '{a.Type}' is not M or J.", RowCodes.AspectType, RowCodes.Args(("type", a.Type))));
            ok = false;
        }

        if (a.MaxMark is null)
        {
            problems.Add(new(null, id, "maxMark", $"Aspect '{id}' has no max mark.", RowCodes.NoMaxMark, RowCodes.Args(("id", id))));
            ok = false;
        }

        // A band's or a deduction's missing value is named by its path in the aspect (bands[0].award).
        var bands = new List<ToleranceBand>();
        foreach (var (b, i) in (a.Bands ?? []).Select((b, i) => (b, i)))
        {
            if (b?.Within is null || b.Award is null)
            {
                problems.Add(new(null, id, b is null ? $"bands[{i}]" : $"bands[{i}].{(b.Within is null ? "within" : "award")}", $"A tolerance band of aspect '{id}' needs both \"within\" and \"award\".", RowCodes.BandIncomplete, RowCodes.Args(("id", id))));
                ok = false;
                continue;
            }

            bands.Add(new ToleranceBand(b.Within.Value, b.Award.Value, b.Description ?? ""));
        }

        var deductions = new List<Deduction>();
        foreach (var (d, i) in (a.Deductions ?? []).Select((d, i) => (d, i)))
        {
            if (d?.Amount is null)
            {
                problems.Add(new(null, id, d is null ? $"deductions[{i}]" : $"deductions[{i}].amount", $"A deduction of aspect '{id}' needs an \"amount\".", RowCodes.DeductionIncomplete, RowCodes.Args(("id", id))));
                ok = false;
                continue;
            }

            deductions.Add(new Deduction(d.Amount.Value, d.Description ?? ""));
        }

        if (!ok)
        {
            unreadable.Add(id, a.MaxMark is null);
        }

        return new Aspect(id, type, a.Description ?? "", a.MarkingDay ?? "", a.MaxMark ?? 0m)
        {
            ExtraDescription = a.ExtraDescription ?? "",
            Requirement = a.Requirement ?? "",
            Descriptors = (a.Descriptors ?? []).Select(s => s ?? "").ToValueList(),
            Bands = bands.ToValueList(),
            Deductions = deductions.ToValueList(),
        };
    }

    private static SchemeDto ToDto(MarkingScheme scheme) => new()
    {
        Title = scheme.Title,
        Criteria = scheme.Criteria.Select(c => (CriterionDto?)new CriterionDto
        {
            Id = c.Id,
            Name = c.Name,
            SubCriteria = c.SubCriteria.Select(s => (SubCriterionDto?)new SubCriterionDto
            {
                Id = s.Id,
                Name = s.Name,
                Aspects = s.Aspects.Select(a => (AspectDto?)ToDto(a)).ToList(),
            }).ToList(),
        }).ToList(),
    };

    private static AspectDto ToDto(Aspect a) => new()
    {
        Id = a.Id,
        Type = a.Type == AspectType.Judgement ? "J" : "M",
        Description = a.Description,
        ExtraDescription = NullIfEmpty(a.ExtraDescription),
        Requirement = NullIfEmpty(a.Requirement),
        MarkingDay = a.MarkingDay,
        MaxMark = a.MaxMark,
        Descriptors = a.Descriptors.Count == 0 ? null : a.Descriptors.Select(d => (string?)d).ToList(),
        Bands = a.Bands.Count == 0 ? null : a.Bands.Select(b => (BandDto?)new BandDto { Within = b.Within, Award = b.Award, Description = NullIfEmpty(b.Description) }).ToList(),
        Deductions = a.Deductions.Count == 0 ? null : a.Deductions.Select(d => (DeductionDto?)new DeductionDto { Amount = d.Amount, Description = NullIfEmpty(d.Description) }).ToList(),
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // What an import refuses to do without is [Required], so the API contract's required lists say it (docs/operations.md,
    // "API contract"; Hosting/OpenApiContract.cs). The reading itself never enforces it: a missing value is a problem
    // naming it, with every other problem of the file, not a failure to read the JSON.

    /// <summary>The scheme's JSON form, also the request body PUT …/scheme documents in the API contract.</summary>
    public sealed class SchemeDto
    {
        [Description("Optional: ?title= when given, else this, else the stored scheme's title, else \"{skill name} marking scheme\".")]
        public string? Title { get; set; }
        [Required] public List<CriterionDto?>? Criteria { get; set; }
    }

    public sealed class CriterionDto
    {
        [Required] public string? Id { get; set; }
        [Required] public string? Name { get; set; }
        [Required] public List<SubCriterionDto?>? SubCriteria { get; set; }
    }

    public sealed class SubCriterionDto
    {
        [Required] public string? Id { get; set; }
        [Required] public string? Name { get; set; }
        [Required] public List<AspectDto?>? Aspects { get; set; }
    }

    public sealed class AspectDto
    {
        [Required] public string? Id { get; set; }
        [Required, Description("M (measurement) or J (judgement).")] public string? Type { get; set; }
        [Required] public string? Description { get; set; }
        public string? ExtraDescription { get; set; }
        public string? Requirement { get; set; }
        [Required, Description("C1, C2, C3 and so on.")] public string? MarkingDay { get; set; }
        [Required] public decimal? MaxMark { get; set; }
        [Description("Required for a judgement aspect: four, for scores 0 to 3; a measurement aspect has none.")]
        public List<string?>? Descriptors { get; set; }
        [Description("A measurement aspect's tolerance bands (or deductions, not both).")]
        public List<BandDto?>? Bands { get; set; }
        [Description("A measurement aspect's deductions (or tolerance bands, not both).")]
        public List<DeductionDto?>? Deductions { get; set; }
    }

    public sealed class BandDto
    {
        [Required] public decimal? Within { get; set; }
        [Required] public decimal? Award { get; set; }
        public string? Description { get; set; }
    }

    public sealed class DeductionDto
    {
        [Required] public decimal? Amount { get; set; }
        public string? Description { get; set; }
    }
}
