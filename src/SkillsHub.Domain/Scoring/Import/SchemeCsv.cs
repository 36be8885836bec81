using System.Globalization;
using CsvHelper;
using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// Marking schemes as CSV laid out like the CIS marking-scheme import sheet (see docs/scoring.md):
/// a criterion row, then its sub-criterion rows, each followed by aspect rows; a judgement aspect is
/// followed by four score rows (0..3) carrying the descriptors, a measurement aspect optionally by
/// <c>band</c> or <c>deduction</c> rows. Columns are matched by header name, so order does not matter
/// and extra CIS columns (WSSS section, totals) are ignored.
/// Text follows docs/security.md: a cell holding a control character (other than a line break or tab
/// in a description) or a bidirectional control is a row error naming its column; cells are read
/// NFC-normalised. The export neutralises formulas reversibly (<see cref="SafeCsv.NeutraliseReversibly"/>)
/// and the import undoes it, so an exported scheme reads back exactly.
/// </summary>
public static partial class SchemeCsv
{
    public const string CriterionId = "Criterion ID";
    public const string CriterionName = "Criterion Name";
    public const string SubCriterionId = "Sub Criterion ID";
    public const string SubCriterionName = "Sub Criterion Name";
    public const string AspectId = "Aspect ID";
    public const string AspectType = "Aspect Type";
    public const string AspectDescription = "Aspect Description";
    public const string JudgementScore = "Judgement Score";
    public const string ExtraDescription = "Extra Aspect Description or Judgement Score Description";
    public const string Requirement = "Requirement";
    public const string MarkingDay = "Day of Marking";
    public const string MaxMark = "Max Mark";
    public const string Tolerance = "Tolerance";

    public static readonly IReadOnlyList<string> Columns =
    [
        CriterionId, CriterionName, SubCriterionId, SubCriterionName, AspectId, AspectType, AspectDescription,
        JudgementScore, ExtraDescription, Requirement, MarkingDay, MaxMark, Tolerance,
    ];

    // Aspect ID, Requirement and Tolerance may be left out: ids are then generated (A1.1, A1.2, ...).
    private static readonly string[] Required =
    [
        CriterionId, CriterionName, SubCriterionId, SubCriterionName, AspectType, AspectDescription,
        JudgementScore, ExtraDescription, MarkingDay, MaxMark,
    ];

    // Spellings seen in CIS exports and hand-made sheets, compared without case, spaces or punctuation.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["subcriteriaid"] = SubCriterionId,
        ["subcriterianame"] = SubCriterionName,
        ["subcriterianameordescription"] = SubCriterionName,
        ["aspecttypemj"] = AspectType,
        ["judgscore"] = JudgementScore,
        ["judgementscoredescription"] = ExtraDescription,
        ["extraaspectdescriptionobjorsubjorjudgementscoredescriptionjudgonly"] = ExtraDescription,
        ["dayofmarking"] = MarkingDay,
        ["markingday"] = MarkingDay,
        ["maxmarks"] = MaxMark,
    };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static SchemeImport Parse(TextReader reader, string title = "")
    {
        var problems = new List<SchemeProblem>();
        var records = CsvText.Read(reader, out var unclosedQuoteRow);
        if (unclosedQuoteRow is { } badRow)
        {
            problems.Add(new(badRow, null, "File", "A quoted field that starts on this row is never closed."));
            return new SchemeImport(null, problems);
        }

        if (records.Count == 0)
        {
            problems.Add(new(null, null, "Header", "The file is empty; the first row must name the columns."));
            return new SchemeImport(null, problems);
        }

        var columns = ReadHeader(records[0].Fields, records[0].Row, problems);
        if (problems.Count > 0)
        {
            return new SchemeImport(null, problems);
        }

        if (TextInput.Check(title, multiline: true) is { } titleFault)
        {
            problems.Add(new(null, null, "title", titleFault));
        }

        var builder = new Builder(problems);
        foreach (var record in records.Skip(1))
        {
            builder.Add(new Row(record.Fields, columns, record.Row));
        }

        var scheme = builder.Build(TextInput.Normalise(title));
        return SchemeImport.From(scheme, problems, builder.RowOf);
    }

    public static SchemeImport Parse(string csv, string title = "") => Parse(new StringReader(csv), title);

    private static Dictionary<string, int> ReadHeader(string[] header, int row, List<SchemeProblem> problems)
    {
        var known = Columns.ToDictionary(Normalise, c => c, StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var key = Normalise(header[i]);
            if ((known.TryGetValue(key, out var column) || Aliases.TryGetValue(key, out column)) && !columns.ContainsKey(column))
            {
                columns[column] = i;
            }
        }

        foreach (var column in Required.Where(c => !columns.ContainsKey(c)))
        {
            problems.Add(new(row, null, column, $"The header has no '{column}' column."));
        }

        return columns;
    }

    private static string Normalise(string header) =>
        new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    internal static bool TryParseMark(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, Invariant, out value);

    internal static bool TryParseAspectType(string text, out AspectType type)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "M" or "MEASUREMENT":
                type = Scoring.AspectType.Measurement;
                return true;
            case "J" or "JUDGEMENT" or "JUDGMENT":
                type = Scoring.AspectType.Judgement;
                return true;
            default:
                type = default;
                return false;
        }
    }

    // Ids, the aspect type, scores and numbers are one-line values; names and descriptions may hold line breaks.
    private static readonly HashSet<string> OneLine = [CriterionId, SubCriterionId, AspectId, AspectType, JudgementScore, MarkingDay, MaxMark, Tolerance];

    private readonly record struct Row(string[] Fields, Dictionary<string, int> Columns, int Number)
    {
        /// <summary>The cell trimmed, NFC-normalised and with the export's formula escape undone.</summary>
        public string this[string column] =>
            Columns.TryGetValue(column, out var i) && i < Fields.Length ? SafeCsv.Restore(TextInput.Normalise(Fields[i])) : "";

        /// <summary>A problem for each cell of a known column that breaks the text rule (docs/security.md).</summary>
        public IEnumerable<SchemeProblem> TextProblems()
        {
            foreach (var (column, i) in Columns.OrderBy(c => c.Value))
            {
                if (i < Fields.Length && TextInput.Check(Fields[i].Trim(), multiline: !OneLine.Contains(column)) is { } fault)
                {
                    yield return new(Number, null, column, fault);
                }
            }
        }

        public bool IsBlank => Fields.All(string.IsNullOrWhiteSpace);
    }

    /// <summary>Builds the tree row by row and remembers each node's row for the validator.</summary>
    private sealed class Builder(List<SchemeProblem> problems)
    {
        private readonly List<CriterionBuilder> _criteria = [];
        private readonly Dictionary<object, int> _rows = new(ReferenceEqualityComparer.Instance);
        private CriterionBuilder? _criterion;
        private SubBuilder? _sub;
        private AspectBuilder? _aspect;

        public int? RowOf(object node) => _rows.TryGetValue(node, out var row) ? row : null;

        public void Add(Row row)
        {
            if (row.IsBlank)
            {
                return;
            }

            problems.AddRange(row.TextProblems());

            var handled = false;
            if (row[CriterionId] is { Length: > 0 } criterionId)
            {
                _criterion = new CriterionBuilder(criterionId, row[CriterionName], row.Number);
                _criteria.Add(_criterion);
                _sub = null;
                _aspect = null;
                handled = true;
            }

            if (row[SubCriterionId] is { Length: > 0 } subId)
            {
                handled = true;
                _aspect = null;
                if (_criterion is null)
                {
                    problems.Add(new(row.Number, subId, "SubCriterionId", $"Sub-criterion '{subId}' comes before any criterion."));
                    _sub = null;
                }
                else
                {
                    _sub = new SubBuilder(subId, row[SubCriterionName], row.Number);
                    _criterion.Subs.Add(_sub);
                }
            }

            if (row[AspectType] is { Length: > 0 })
            {
                AddAspect(row);
                handled = true;
            }

            if (row[JudgementScore] is { Length: > 0 })
            {
                AddDetail(row);
                handled = true;
            }

            if (!handled && (row[AspectDescription].Length > 0 || row[MaxMark].Length > 0))
            {
                problems.Add(new(row.Number, null, "AspectType", "This row has an aspect description or max mark but no aspect type (M or J)."));
            }
        }

        private void AddAspect(Row row)
        {
            _aspect = null;
            var id = row[AspectId];
            if (_sub is null)
            {
                problems.Add(new(row.Number, id.Length > 0 ? id : null, "AspectType", "This aspect comes before any sub-criterion."));
                return;
            }

            if (id.Length == 0)
            {
                id = $"{_sub.Id}.{_sub.Aspects.Count + 1}";
            }

            var ok = true;
            if (!TryParseAspectType(row[AspectType], out var type))
            {
                problems.Add(new(row.Number, id, "AspectType", $"Aspect type '{row[AspectType]}' is not M or J."));
                ok = false;
            }

            var maxText = row[MaxMark];
            decimal max = 0;
            if (maxText.Length == 0)
            {
                problems.Add(new(row.Number, id, "MaxMark", $"Aspect '{id}' has no max mark."));
                ok = false;
            }
            else if (!TryParseMark(maxText, out max))
            {
                problems.Add(new(row.Number, id, "MaxMark", $"Max mark '{maxText}' is not a number."));
                ok = false;
            }

            // A broken aspect row still gets a builder, so its score rows attach to it, not the previous aspect.
            _aspect = new AspectBuilder(id, type, max, row.Number, ok)
            {
                Description = row[AspectDescription],
                ExtraDescription = type == Scoring.AspectType.Measurement ? row[ExtraDescription] : "",
                Requirement = row[Requirement],
                MarkingDay = row[MarkingDay],
            };
            if (ok)
            {
                _sub.Aspects.Add(_aspect);
            }
        }

        private void AddDetail(Row row)
        {
            var kind = row[JudgementScore];
            if (_aspect is null)
            {
                problems.Add(new(row.Number, null, "JudgementScore", "This judgement score or rule row comes before any aspect."));
                return;
            }

            var id = _aspect.Id;
            if (int.TryParse(kind, NumberStyles.None, Invariant, out var score) && score is >= 0 and <= 3)
            {
                if (!_aspect.Descriptors.TryAdd(score, row[ExtraDescription]))
                {
                    problems.Add(new(row.Number, id, "JudgementScore", $"Aspect '{id}' has two descriptors for score {score}."));
                }

                return;
            }

            switch (kind.ToLowerInvariant())
            {
                case "band":
                    var within = ReadNumber(row, Tolerance, "Tolerance band", id);
                    var award = ReadNumber(row, MaxMark, "Tolerance band", id);
                    if (within is { } w && award is { } a)
                    {
                        _aspect.Bands.Add(new ToleranceBand(w, a, row[ExtraDescription]));
                    }

                    break;
                case "deduction":
                    if (ReadNumber(row, MaxMark, "Deduction", id) is { } amount)
                    {
                        _aspect.Deductions.Add(new Deduction(amount, row[ExtraDescription]));
                    }

                    break;
                default:
                    problems.Add(new(row.Number, id, "JudgementScore", $"Judgement score '{kind}' is not 0, 1, 2, 3, band or deduction."));
                    break;
            }
        }

        private decimal? ReadNumber(Row row, string column, string what, string id)
        {
            var text = row[column];
            if (text.Length == 0)
            {
                problems.Add(new(row.Number, id, column, $"{what} of aspect '{id}' has no {column}."));
                return null;
            }

            if (!TryParseMark(text, out var value))
            {
                problems.Add(new(row.Number, id, column, $"{column} '{text}' is not a number."));
                return null;
            }

            return value;
        }

        public MarkingScheme Build(string title)
        {
            var criteria = new List<Criterion>();
            foreach (var c in _criteria)
            {
                var subs = new List<SubCriterion>();
                foreach (var s in c.Subs)
                {
                    var aspects = new List<Aspect>();
                    foreach (var a in s.Aspects)
                    {
                        var aspect = a.Build();
                        _rows[aspect] = a.Row;
                        aspects.Add(aspect);
                    }

                    var sub = new SubCriterion(s.Id, s.Name, aspects.ToValueList());
                    _rows[sub] = s.Row;
                    subs.Add(sub);
                }

                var criterion = new Criterion(c.Id, c.Name, subs.ToValueList());
                _rows[criterion] = c.Row;
                criteria.Add(criterion);
            }

            return new MarkingScheme(title, criteria.ToValueList());
        }
    }

    private sealed record CriterionBuilder(string Id, string Name, int Row)
    {
        public List<SubBuilder> Subs { get; } = [];
    }

    private sealed record SubBuilder(string Id, string Name, int Row)
    {
        public List<AspectBuilder> Aspects { get; } = [];
    }

    private sealed record AspectBuilder(string Id, AspectType Type, decimal MaxMark, int Row, bool Ok)
    {
        public string Description { get; init; } = "";
        public string ExtraDescription { get; init; } = "";
        public string Requirement { get; init; } = "";
        public string MarkingDay { get; init; } = "";
        public SortedDictionary<int, string> Descriptors { get; } = [];
        public List<ToleranceBand> Bands { get; } = [];
        public List<Deduction> Deductions { get; } = [];

        public Aspect Build()
        {
            ValueList<string> descriptors;
            if (Type == Scoring.AspectType.Judgement)
            {
                // Missing scores become blanks at their index, so the validator names exactly which are missing.
                descriptors = Enumerable.Range(0, 4).Select(s => Descriptors.GetValueOrDefault(s, "")).ToValueList();
            }
            else
            {
                descriptors = Descriptors.Values.ToValueList();
            }

            return new Aspect(Id, Type, Description, MarkingDay, MaxMark)
            {
                ExtraDescription = ExtraDescription,
                Requirement = Requirement,
                Descriptors = descriptors,
                Bands = Bands.ToValueList(),
                Deductions = Deductions.ToValueList(),
            };
        }
    }
}
