using System.Globalization;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>Reading a scheme: the builder that turns the sheet's rows into the criterion/aspect tree (see <see cref="SchemeCsv.Parse(string, string)"/>).</summary>
public static partial class SchemeCsv
{
    /// <summary>Builds the tree row by row and remembers each node's row for the validator.</summary>
    private sealed class Builder(List<SchemeProblem> problems)
    {
        private readonly List<CriterionBuilder> _criteria = [];
        private readonly Dictionary<object, int> _rows = new(ReferenceEqualityComparer.Instance);
        private CriterionBuilder? _criterion;
        private SubBuilder? _sub;
        private AspectBuilder? _aspect;

        public int? RowOf(object node) => _rows.TryGetValue(node, out var row) ? row : null;

        /// <summary>Aspects with a row that could not be read (their own, or a score, band or deduction row): in the tree, but not judged by it.</summary>
        private readonly HashSet<string> _broken = new(StringComparer.Ordinal);

        /// <summary>Whether an aspect's max mark is unknown (its row unreadable), so the scheme's total is too.</summary>
        private bool _maxUnknown;

        /// <summary>
        /// Whether a problem the validator finds follows only from a row already reported as unreadable: a problem of such an
        /// aspect, or the scheme's total when an aspect's max mark is unknown. One typo then gives one problem (found by an
        /// outside tester: a max mark of "100,00" also gave "the sub-criterion has no aspects" and "the scheme totals 0.00").
        /// </summary>
        public bool FollowsFromUnreadable(SchemeProblem problem) =>
            (problem.Id is { } id && _broken.Contains(id)) || (_maxUnknown && problem.Field == "Total");

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
                    problems.Add(new(row.Number, subId, "SubCriterionId", $"Sub-criterion '{subId}' comes before any criterion.", RowCodes.OutOfOrder, RowCodes.Args(("kind", "sub-criterion"), ("id", subId))));
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

            // Tolerance is a band row's alone: on any other row it would be lost without a word (found by an outside tester:
            // a deduction row's 0.1 was dropped, and the import said nothing had changed).
            if (row[Tolerance] is { Length: > 0 } tolerance && !string.Equals(row[JudgementScore], "band", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(row.Number, _aspect?.Id, "Tolerance", $"Tolerance '{tolerance}' is read only on a band row, and this row is not one: move it to a band row or leave the cell empty.",
                    RowCodes.ToleranceNotBand, RowCodes.Args(("value", tolerance))));
            }

            if (!handled && (row[AspectDescription].Length > 0 || row[MaxMark].Length > 0))
            {
                problems.Add(new(row.Number, null, AspectType, "This row has an aspect description or max mark but no aspect type (M or J).", RowCodes.NoAspectType));
            }
            ReportUnread(row, handled);
        }

        /// <summary>
        /// A value in a column that none of the row's kinds reads would be lost without a word (found by an outside tester:
        /// a requirement or a day on a descriptor row, a criterion's name on a sub-criterion's row): it is refused, naming
        /// the row and column, as a tolerance off a band row is (reported above, with the cells a row without a kind reports).
        /// </summary>
        private void ReportUnread(Row row, bool handled)
        {
            var read = new HashSet<string>(StringComparer.Ordinal) { Tolerance };
            if (!handled)
            {
                read.UnionWith([AspectDescription, MaxMark]);
            }
            if (row[CriterionId].Length > 0)
            {
                read.UnionWith([CriterionId, CriterionName]);
            }
            if (row[SubCriterionId].Length > 0)
            {
                read.UnionWith([SubCriterionId, SubCriterionName]);
            }
            if (row[AspectType].Length > 0)
            {
                read.UnionWith([AspectId, AspectType, AspectDescription, ExtraDescription, Requirement, MarkingDay, MaxMark]);
            }
            if (row[JudgementScore].Length > 0)
            {
                read.UnionWith([JudgementScore, ExtraDescription, MaxMark]);
            }
            foreach (var column in Columns.Where(c => !read.Contains(c) && row[c].Length > 0))
            {
                problems.Add(new(row.Number, _aspect?.Id, column, $"{column} '{row[column]}' is not read on this row: move it to the row that takes it (see the column table) or leave the cell empty.",
                    RowCodes.CellNotRead, RowCodes.Args(("column", column), ("value", row[column]))));
            }
        }

        private void AddAspect(Row row)
        {
            _aspect = null;
            var id = row[AspectId];
            if (_sub is null)
            {
                problems.Add(new(row.Number, id.Length > 0 ? id : null, AspectType, "This aspect comes before any sub-criterion.", RowCodes.OutOfOrder, RowCodes.Args(("kind", "aspect"), ("id", id))));
                return;
            }

            if (id.Length == 0)
            {
                id = $"{_sub.Id}.{_sub.Aspects.Count + 1}";
            }

            var ok = true;
            if (!TryParseAspectType(row[AspectType], out var type))
            {
                problems.Add(new(row.Number, id, AspectType, $"Aspect type '{row[AspectType]}' is not M or J.", RowCodes.AspectType, RowCodes.Args(("type", row[AspectType]))));
                ok = false;
            }

            var maxText = row[MaxMark];
            decimal max = 0;
            if (maxText.Length == 0)
            {
                problems.Add(new(row.Number, id, MaxMark, $"Aspect '{id}' has no max mark.", RowCodes.NoMaxMark, RowCodes.Args(("id", id))));
                ok = false;
            }
            else if (!TryParseMark(maxText, out max))
            {
                problems.Add(NotAMark(row.Number, id, MaxMark, maxText));
                ok = false;
            }

            // A broken aspect row still gets a builder, so its score rows attach to it, not the previous aspect.
            _aspect = new AspectBuilder(id, type, max, row.Number, ok)
            {
                Description = row[AspectDescription],
                // On any aspect's row, a judgement aspect's too: the export writes it there (found by an outside tester: a J
                // aspect's extra description was dropped when an exported scheme was imported back).
                ExtraDescription = row[ExtraDescription],
                Requirement = row[Requirement],
                MarkingDay = row[MarkingDay],
            };
            // In the tree even when broken, so its sub-criterion is not reported empty; what the validator finds about it is not
            // reported (FollowsFromUnreadable), its row's problem is.
            _sub.Aspects.Add(_aspect);
            if (!ok)
            {
                _broken.Add(id);
                _maxUnknown = true;
            }
        }

        private void AddDetail(Row row)
        {
            var kind = row[JudgementScore];
            if (_aspect is null)
            {
                problems.Add(new(row.Number, null, JudgementScore, "This judgement score or rule row comes before any aspect.", RowCodes.OutOfOrder, RowCodes.Args(("kind", "score-row"), ("id", ""))));
                return;
            }

            var id = _aspect.Id;
            if (int.TryParse(kind, NumberStyles.None, Invariant, out var score) && score is >= 0 and <= 3)
            {
                if (!_aspect.Descriptors.TryAdd(score, row[ExtraDescription]))
                {
                    problems.Add(new(row.Number, id, JudgementScore, $"Aspect '{id}' has two descriptors for score {score}.", RowCodes.DescriptorTwice, RowCodes.Args(("id", id), ("score", score))));
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
                        var band = new ToleranceBand(w, a, row[ExtraDescription]);
                        _aspect.Bands.Add(band);
                        _rows[band] = row.Number;
                    }

                    break;
                case "deduction":
                    if (ReadNumber(row, MaxMark, "Deduction", id) is { } amount)
                    {
                        var deduction = new Deduction(amount, row[ExtraDescription]);
                        _aspect.Deductions.Add(deduction);
                        _rows[deduction] = row.Number;
                    }

                    break;
                default:
                    problems.Add(new(row.Number, id, JudgementScore, $"Judgement score '{kind}' is not 0, 1, 2, 3, band or deduction.", RowCodes.ScoreKind, RowCodes.Args(("kind", kind))));
                    // Which score it was meant for is unknown: its aspect's missing descriptor is not reported besides.
                    _broken.Add(id);
                    break;
            }
        }

        private decimal? ReadNumber(Row row, string column, string what, string id)
        {
            var text = row[column];
            if (text.Length == 0)
            {
                problems.Add(new(row.Number, id, column, $"{what} of aspect '{id}' has no {column}.", RowCodes.MissingValue, RowCodes.Args(("id", id), ("column", column))));
                return null;
            }

            if (!TryParseMark(text, out var value))
            {
                problems.Add(NotAMark(row.Number, id, column, text));
                _broken.Add(id);
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
