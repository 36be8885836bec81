using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class SchemeCsvTests
{
    private const string Header =
        "Criterion ID,Criterion Name,Sub Criterion ID,Sub Criterion Name,Aspect ID,Aspect Type,Aspect Description," +
        "Judgement Score,Extra Aspect Description or Judgement Score Description,Requirement,Day of Marking,Max Mark,Tolerance\n";

    // Row 2 criterion, row 3 sub-criterion, row 4 M aspect (60), row 5 J aspect (40), rows 6-9 descriptors.
    private const string ValidBody =
        "A,Work organisation,,,,,,,,,,,\n" +
        ",,A1,Safety,,,,,,,,,\n" +
        ",,,,A1.1,M,Goggles worn,,,Worn at all times,C1,60.00,\n" +
        ",,,,A1.2,J,Tidy bench,,,,C2,40.00,\n" +
        ",,,,,,,0,Untidy,,,,\n" +
        ",,,,,,,1,Partly tidy,,,,\n" +
        ",,,,,,,2,Tidy,,,,\n" +
        ",,,,,,,3,\"Spotless, all day\",,,,\n";

    private static string[] Problems(string csv) =>
        SchemeCsv.Parse(csv).Problems.Select(p => p.ToString()).ToArray();

    [Theory]
    [InlineData("cnc-milling-sample.csv")]
    [InlineData("restaurant-service-sample.csv")]
    public void SampleScheme_ImportsWithoutProblems(string file)
    {
        var import = SchemeCsv.Parse(SampleSchemes.Read(file));
        Assert.Empty(import.Problems);
        Assert.True(import.IsValid);
        Assert.Equal(100.00m, import.Scheme!.Total);
    }

    /// <summary>
    /// A sheet saved with semicolons (Excel in many locales) reads as the same scheme: the delimiter is the header's, as for
    /// every import (found by an outside tester: refused as missing every column).
    /// </summary>
    [Theory]
    [InlineData("cnc-milling-sample.csv")]
    [InlineData("restaurant-service-sample.csv")]
    public void ASemicolonSheet_ReadsAsTheCommaOne(string file)
    {
        var comma = SchemeCsv.Parse(SampleSchemes.Read(file), "T");
        var text = SchemeCsv.Write(comma.Scheme!);
        using var reader = new StringReader(text);
        var records = CsvText.Read(reader, ",", out _);
        var semicolons = string.Join("\r\n", records.Select(r => string.Join(';', r.Fields.Select(f => f.Contains(';') || f.Contains('"') || f.Contains('\n') ? $"\"{f.Replace("\"", "\"\"")}\"" : f)))) + "\r\n";
        var read = SchemeCsv.Parse("\uFEFF" + semicolons, "T");
        Assert.Empty(read.Problems);
        Assert.Equal(SchemeJson.Write(comma.Scheme!), SchemeJson.Write(read.Scheme!));
    }

    /// <summary>
    /// A column a letter or two from one the import reads is a misspelling: refused naming it and the column meant, not taken
    /// as left out, which erased what it held (found by an outside tester: "Requirment" emptied every requirement and the
    /// import said it succeeded). Other columns of a CIS export are not read, as before.
    /// </summary>
    [Theory]
    [InlineData("Requirement", "Requirment")]
    [InlineData("Tolerance", "Tolerence")]
    [InlineData("Aspect ID", "Aspect lD")]
    [InlineData("Max Mark", "Max Mak")]
    public void AMisspeltColumn_IsRefusedNamingTheColumnMeant(string column, string misspelt)
    {
        var import = SchemeCsv.Parse(Header.Replace(column, misspelt, StringComparison.Ordinal) + ValidBody, "Test");
        var problem = Assert.Single(import.Problems);
        Assert.Equal((1, misspelt, Domain.RowCodes.CsvUnknownColumn), (problem.Row, problem.Field, problem.Code));
        Assert.Contains($"did you mean '{column}'?", problem.Message, StringComparison.Ordinal);
        Assert.Null(import.Scheme);
    }

    [Fact]
    public void OtherColumnsOfACisExport_AreNotRead()
    {
        var extra = Header.Replace("\n", ",WSSS Section,Total\n", StringComparison.Ordinal) + ValidBody.Replace(",\n", ",,,\n", StringComparison.Ordinal);
        var import = SchemeCsv.Parse(extra, "Test");
        Assert.Empty(import.Problems);
        Assert.Equal(100.00m, import.Scheme!.Total);
    }

    /// <summary>
    /// A value in a column its row does not read is refused naming the row and column, not dropped (found by an outside
    /// tester: a requirement or a day on a descriptor row, a criterion's name on a sub-criterion's row were lost).
    /// </summary>
    [Theory]
    [InlineData(",,,,,,,1,Partly tidy,,,,\n", ",,,,,,,1,Partly tidy,Bench clear,,,\n", 7, "Requirement")]
    [InlineData(",,,,,,,1,Partly tidy,,,,\n", ",,,,,,,1,Partly tidy,,C3,,\n", 7, "Day of Marking")]
    [InlineData(",,A1,Safety,,,,,,,,,\n", ",Work,A1,Safety,,,,,,,,,\n", 3, "Criterion Name")]
    [InlineData(",,,,,,,1,Partly tidy,,,,\n", ",,,,A1.9,,,1,Partly tidy,,,,\n", 7, "Aspect ID")]
    public void AValueInAColumnItsRowDoesNotRead_IsRefused(string row, string stray, int line, string column)
    {
        var import = SchemeCsv.Parse(Header + ValidBody.Replace(row, stray, StringComparison.Ordinal), "Test");
        var problem = Assert.Single(import.Problems);
        Assert.Equal((RowCodes.CellNotRead, line, column), (problem.Code, problem.Row, problem.Field));
        Assert.Null(import.Scheme);
    }

    /// <summary>A band's or deduction's problem names its own row, not its aspect's (found by an outside tester).</summary>
    [Theory]
    [InlineData(",,,,,,,band,Close,,,70.00,0.1\n", RowCodes.BandAward)]
    [InlineData(",,,,,,,deduction,Scratch,,,0.00,\n", RowCodes.Deduction)]
    public void ABandOrDeductionProblem_NamesItsOwnRow(string detail, string code)
    {
        const string aspect = ",,,,A1.1,M,Goggles worn,,,Worn at all times,C1,60.00,\n";
        var import = SchemeCsv.Parse(Header + ValidBody.Replace(aspect, aspect + detail, StringComparison.Ordinal), "Test");
        var problem = Assert.Single(import.Problems);
        Assert.Equal((code, 5), (problem.Code, problem.Row));
    }

    /// <summary>
    /// A mark is read as the JSON import reads it (found by an outside tester): with an exponent (6e1 is 60), and one with
    /// more digits than a mark holds is said so, not called "not a number".
    /// </summary>
    [Fact]
    public void AMaxMark_IsReadAsTheJsonImportReadsIt()
    {
        var exponent = SchemeCsv.Parse(Header + ValidBody.Replace(",C1,60.00,", ",C1,6e1,", StringComparison.Ordinal), "Test");
        Assert.Empty(exponent.Problems);
        Assert.Equal(60m, exponent.Scheme!.Criteria[0].SubCriteria[0].Aspects[0].MaxMark);
        var precise = SchemeCsv.Parse(Header + ValidBody.Replace(",C1,60.00,", ",C1,60.00000000000000000000000000001,", StringComparison.Ordinal), "Test");
        Assert.Contains(precise.Problems, p => p.Code == RowCodes.JsonTooManyDigits && p.Field == "Max Mark");
        var word = SchemeCsv.Parse(Header + ValidBody.Replace(",C1,60.00,", ",C1,sixty,", StringComparison.Ordinal), "Test");
        Assert.Contains(word.Problems, p => p.Code == RowCodes.NotANumber);
    }

    [Fact]
    public void ValidSheet_BuildsTheTree()
    {
        var import = SchemeCsv.Parse(Header + ValidBody, "Test");
        Assert.Empty(import.Problems);
        var scheme = import.Scheme!;
        var criterion = Assert.Single(scheme.Criteria);
        Assert.Equal(("A", "Work organisation"), (criterion.Id, criterion.Name));
        var sub = Assert.Single(criterion.SubCriteria);
        Assert.Equal(["A1.1", "A1.2"], sub.Aspects.Select(a => a.Id));
        var measurement = sub.Aspects[0];
        Assert.Equal((AspectType.Measurement, 60.00m, "C1", "Worn at all times"), (measurement.Type, measurement.MaxMark, measurement.MarkingDay, measurement.Requirement));
        Assert.Equal(["Untidy", "Partly tidy", "Tidy", "Spotless, all day"], sub.Aspects[1].Descriptors);
    }

    /// <summary>
    /// Found by an outside tester: the exported scheme saved with CRLF counted as a change (and was refused once marks
    /// existed), and with lone CRs read as a scheme with no criteria.
    /// </summary>
    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void OtherLineEndings_ReadAsTheSameScheme_QuotedLineBreaksIncluded(string newline)
    {
        var body = ValidBody.Replace("\"Spotless, all day\"", "\"Spotless,\nall day\"", StringComparison.Ordinal);
        var lf = SchemeCsv.Parse(Header + body, "Test");
        var other = SchemeCsv.Parse((Header + body).Replace("\n", newline, StringComparison.Ordinal), "Test");

        Assert.Empty(other.Problems);
        Assert.Equal("Spotless,\nall day", other.Scheme!.Criteria[0].SubCriteria[0].Aspects[1].Descriptors[3]);
        Assert.Equal(SchemeJson.Write(lf.Scheme!), SchemeJson.Write(other.Scheme!));
    }

    /// <summary>
    /// Found by an outside tester: an unquoted comma in a descriptor made a row one field wider than the header, and the
    /// text after it was dropped without a word; a column given twice kept the first and dropped the second. Both are
    /// refused, naming the row or the column; a row shorter than the header still reads its missing cells as empty.
    /// </summary>
    [Fact]
    public void ARowWiderThanTheHeader_AndAColumnGivenTwice_AreRefused()
    {
        var wide = SchemeCsv.Parse(Header + ValidBody.Replace(",,,,,,,0,Untidy,,,,\n", ",,,,,,,0,Poor, messy,,,,\n", StringComparison.Ordinal), "Test");
        var fieldCount = Assert.Single(wide.Problems);
        Assert.Equal((6, RowCodes.CsvFieldCount), (fieldCount.Row, fieldCount.Code));
        Assert.Null(wide.Scheme);

        var twice = SchemeCsv.Parse(Header.Replace(",Tolerance\n", ",Max Mark\n", StringComparison.Ordinal) + ValidBody, "Test");
        var duplicate = Assert.Single(twice.Problems);
        Assert.Equal((1, RowCodes.CsvDuplicateColumn, "Max Mark"), (duplicate.Row, duplicate.Code, duplicate.Field));

        var shorter = SchemeCsv.Parse(Header + ValidBody.Replace(",,,,,,,1,Partly tidy,,,,\n", ",,,,,,,1,Partly tidy\n", StringComparison.Ordinal), "Test");
        Assert.Empty(shorter.Problems);
    }

    /// <summary>
    /// Every problem of a sheet names its column as the sheet does, the scheme's own rules' too (an outside tester found
    /// "row 4: Description" beside "row 5: Aspect Description" in one answer).
    /// </summary>
    [Fact]
    public void EveryProblem_NamesTheSheetsColumn()
    {
        var body = ValidBody.Replace(",,,,A1.1,M,Goggles worn,,,Worn at all times,C1,60.00,", ",,,,A1.1,M,,,,Worn at all times,,0,", StringComparison.Ordinal)
            .Replace(",,,,,,,0,Untidy,,,,\n", "", StringComparison.Ordinal);
        var problems = SchemeCsv.Parse(Header + body).Problems;
        Assert.Contains(problems, p => p is { Row: 4, Field: SchemeCsv.AspectDescription });
        Assert.Contains(problems, p => p is { Row: 4, Field: SchemeCsv.MarkingDay });
        Assert.Contains(problems, p => p is { Row: 4, Field: SchemeCsv.MaxMark });
        Assert.Contains(problems, p => p is { Row: 5, Field: SchemeCsv.JudgementScore });
        var columns = SchemeCsv.Columns.ToHashSet();
        Assert.All(problems, p => Assert.True(columns.Contains(p.Field) || p.Field == "Total", p.ToString()));
    }

    [Fact]
    public void AspectIds_AreGenerated_WhenTheColumnIsBlankOrMissing()
    {
        var csv = Header.Replace("Aspect ID,", "") + ValidBody.Replace(",A1.1,", ",").Replace(",A1.2,", ",").Replace(",,,,,,,", ",,,,,,");
        var import = SchemeCsv.Parse(csv);
        Assert.Empty(import.Problems);
        Assert.Equal(["A1.1", "A1.2"], import.Scheme!.Aspects.Select(a => a.Id));
    }

    [Fact]
    public void Columns_AreMatchedByName_InAnyOrderAndWithCisSpellings()
    {
        const string csv =
            "Max Mark,Sub Criteria ID,Sub Criteria Name,Criterion ID,Criterion Name,Aspect Type,Aspect Description,Judg Score," +
            "Judgement Score Description,Day of Marking,WSSS Section\n" +
            ",,,A,Crit,,,,,,\n" +
            ",A1,Sub,,,,,,,,\n" +
            "100,,,,,M,Done,,,C1,1\n";
        var import = SchemeCsv.Parse(csv);
        Assert.Empty(import.Problems);
        Assert.Equal(100m, Assert.Single(import.Scheme!.Aspects).MaxMark);
    }

    [Fact]
    public void MissingColumns_AreReportedOnRowOne()
    {
        Assert.Equal(
            ["Row 1: The header has no 'Day of Marking' column.", "Row 1: The header has no 'Max Mark' column."],
            Problems(Header.Replace(",Max Mark", "").Replace(",Day of Marking", "")));
    }

    [Fact]
    public void EmptyFile_IsReported()
    {
        Assert.Equal(["The file is empty; the first row must name the columns."], Problems(""));
    }

    [Fact]
    public void UnclosedQuote_IsReportedWithItsRow()
    {
        Assert.Equal(["Row 3: A quoted field that starts on this row is never closed."], Problems(Header + "A,Crit,,,,,,,,,,,\n,,A1,\"Sub,,,,,,,,,\n"));
    }

    [Fact]
    public void QuotedLineBreak_DoesNotShiftRowNumbers()
    {
        var body = ValidBody.Replace("Goggles worn", "\"Goggles\nworn\"").Replace("C2,40.00", "C2,30.00");
        var problem = Assert.Single(SchemeCsv.Parse(Header + body).Problems);
        Assert.Equal("The scheme totals 90.00 marks; it must be exactly 100.00.", problem.Message);

        body = ValidBody.Replace("Goggles worn", "\"Goggles\nworn\"").Replace(",,,,,,,2,Tidy,,,,\n", "");
        problem = Assert.Single(SchemeCsv.Parse(Header + body).Problems);
        Assert.Equal("Row 5: Judgement aspect 'A1.2' is missing the descriptor for score 2.", problem.ToString());
    }

    /// <summary>
    /// One unreadable cell is one problem, named by its column as the sheet names it: not also "the sub-criterion has no
    /// aspects" or "the scheme totals 40.00" (found by an outside tester, with "100,00" in a scheme's only aspect).
    /// </summary>
    [Theory]
    [InlineData("C1,60.00", "C1,sixty", "Row 4: Max Mark 'sixty' is not a number.")]
    [InlineData("C1,60.00", "C1,\"60,00\"", "Row 4: Max Mark '60,00' is not a number.")]
    [InlineData("C1,60.00", "C1,", "Row 4: Aspect 'A1.1' has no max mark.")]
    [InlineData(",M,Goggles", ",X,Goggles", "Row 4: Aspect type 'X' is not M or J.")]
    public void AnUnreadableAspectRow_IsOneProblem_NamingItsColumn(string from, string to, string expected)
    {
        var problem = Assert.Single(SchemeCsv.Parse(Header + ValidBody.Replace(from, to)).Problems);
        Assert.Equal(expected, problem.ToString());
        Assert.Contains(problem.Field, new[] { "Max Mark", "Aspect Type" });
    }

    [Fact]
    public void AnUnreadableAspect_AloneInItsSubCriterion_IsOneProblem()
    {
        const string body = "A,Work organisation,,,,,,,,,,,\n,,A1,Safety,,,,,,,,,\n,,,,A1.1,M,one,,,,C1,\"100,00\",\n";
        Assert.Equal(["Row 4: Max Mark '100,00' is not a number."], Problems(Header + body));
    }

    /// <summary>A score row's typo (4 for 3) is one problem: not also "missing the descriptor for score 3" (found by an outside tester).</summary>
    [Fact]
    public void AnUnreadableScoreRow_IsOneProblem()
    {
        var body = ValidBody.Replace(",,,,,,,3,\"Spotless", ",,,,,,,4,\"Spotless");
        Assert.Equal(["Row 9: Judgement score '4' is not 0, 1, 2, 3, band or deduction."], Problems(Header + body));
        Assert.Equal("Judgement Score", Assert.Single(SchemeCsv.Parse(Header + body).Problems).Field);
    }

    [Fact]
    public void AReadableProblem_BesideAnUnreadableRow_IsStillReported()
    {
        // A1.2 lacks a descriptor: true whatever A1.1's max mark is.
        var body = ValidBody.Replace("C1,60.00", "C1,sixty").Replace(",,,,,,,2,Tidy,,,,\n", "");
        Assert.Equal(["Row 4: Max Mark 'sixty' is not a number.", "Row 5: Judgement aspect 'A1.2' is missing the descriptor for score 2."], Problems(Header + body));
    }

    [Fact]
    public void AspectType_Unknown_IsReportedWithRow()
    {
        var problems = Problems(Header + ValidBody.Replace(",A1.1,M,", ",A1.1,O,"));
        Assert.Equal("Row 4: Aspect type 'O' is not M or J.", problems[0]);
    }

    [Fact]
    public void ValidatorProblems_CarryTheAspectRow()
    {
        var problems = Problems(Header + ValidBody.Replace(",A1.2,J,", ",A1.1,J,"));
        Assert.Equal(["Row 5: Aspect id 'A1.1' is used more than once."], problems);
    }

    [Fact]
    public void DuplicateDescriptorScore_IsReported()
    {
        var problems = Problems(Header + ValidBody.Replace(",,,,,,,2,Tidy", ",,,,,,,1,Tidy"));
        Assert.Equal(
            ["Row 5: Judgement aspect 'A1.2' is missing the descriptor for score 2.", "Row 8: Aspect 'A1.2' has two descriptors for score 1."],
            problems);
    }

    [Fact]
    public void UnknownJudgementScore_IsReported()
    {
        Assert.Contains("Row 9: Judgement score '4' is not 0, 1, 2, 3, band or deduction.", Problems(Header + ValidBody.Replace(",,,,,,,3,", ",,,,,,,4,")));
    }

    [Fact]
    public void StructureOutOfOrder_IsReported()
    {
        const string body =
            ",,A1,Orphan,,,,,,,,,\n" +
            ",,,,A1.1,M,Orphan aspect,,,,C1,100,\n" +
            ",,,,,,,0,Orphan descriptor,,,,\n" +
            ",,,,,,Description only,,,,,5,\n";
        Assert.Equal(
            [
                "Row 2: Sub-criterion 'A1' comes before any criterion.",
                "Row 3: This aspect comes before any sub-criterion.",
                "Row 4: This judgement score or rule row comes before any aspect.",
                "Row 5: This row has an aspect description or max mark but no aspect type (M or J).",
                "The scheme has no criteria.",
                "The scheme totals 0.00 marks; it must be exactly 100.00.",
            ],
            Problems(Header + body));
    }

    [Fact]
    public void BandAndDeductionRows_NeedNumbers()
    {
        var body = ValidBody.Replace(
            ",,,,A1.2,J,",
            ",,,,,,,band,no tolerance,,,1.00,\n,,,,,,,band,bad,,,1.00,x\n,,,,,,,deduction,no amount,,,,\n,,,,A1.2,J,");
        Assert.Equal(
            [
                "Row 5: Tolerance band of aspect 'A1.1' has no Tolerance.",
                "Row 6: Tolerance 'x' is not a number.",
                "Row 7: Deduction of aspect 'A1.1' has no Max Mark.",
            ],
            Problems(Header + body));
    }

    /// <summary>Found by an outside tester: "0,05" was read with a thousands separator, as 5, and a part 4.9 mm out got full marks.</summary>
    [Fact]
    public void ADecimalComma_OrGroupedDigits_AreRefused_NotReadAsThousands()
    {
        var body = ValidBody.Replace(",,,,A1.2,J,", ",,,,,,,band,comma,,,60.00,\"0,05\"\n,,,,,,,band,grouped,,,\"1,000.00\",0.10\n,,,,A1.2,J,");
        Assert.Equal(
            [
                "Row 5: Tolerance '0,05' is not a number.",
                "Row 6: Max Mark '1,000.00' is not a number.",
            ],
            Problems(Header + body).Take(2));
    }

    [Fact]
    public void BandsAndDeductions_AreRead()
    {
        var body = ValidBody.Replace(",,,,A1.2,J,", ",,,,,,,band,within 0.05 mm,,,60.00,0.05\n,,,,,,,band,within 0.1 mm,,,30.00,0.10\n,,,,A1.2,J,");
        var aspect = SchemeCsv.Parse(Header + body).Scheme!.Aspects.First();
        Assert.Equal([new ToleranceBand(0.05m, 60m, "within 0.05 mm"), new ToleranceBand(0.1m, 30m, "within 0.1 mm")], aspect.Bands);
    }

    /// <summary>Found by an outside tester: a Tolerance on a deduction row was dropped without a word, and the import said nothing changed.</summary>
    [Theory]
    [InlineData(",,,,,,,deduction,each breach,,,0.25,0.1\n", "A1.1")]       // a deduction row
    [InlineData(",,,,,,,1,Partly tidy,,,,0.1\n", "A1.2")]                   // a descriptor row
    public void ATolerance_OffABandRow_IsRefused_NamingTheColumn(string row, string aspect)
    {
        var body = aspect == "A1.1" ? ValidBody.Replace(",,,,A1.2,J,", row + ",,,,A1.2,J,") : ValidBody.Replace(",,,,,,,1,Partly tidy,,,,\n", row);
        var import = SchemeCsv.Parse(Header + body);
        var problem = Assert.Single(import.Problems);
        Assert.Equal(("Tolerance", RowCodes.ToleranceNotBand, aspect), (problem.Field, problem.Code, problem.Id));
        Assert.Null(import.Scheme);
    }

    [Fact]
    public void Export_ThenImport_GivesTheSameScheme()
    {
        var scheme = SchemeCsv.Parse(SampleSchemes.Read("cnc-milling-sample.csv"), "CNC").Scheme!;
        var again = SchemeCsv.Parse(SchemeCsv.Write(scheme), "CNC").Scheme;
        Assert.Equal(scheme, again);
    }

    [Theory]
    [InlineData("cnc-milling-sample.csv")]
    [InlineData("restaurant-service-sample.csv")]
    public void Export_OfASample_ReproducesTheShippedFile(string file)
    {
        var text = SampleSchemes.Read(file);
        // The shipped files end their lines in LF; an export ends each record in CRLF (RFC 4180).
        Assert.Equal(text.ReplaceLineEndings("\r\n"), SchemeCsv.Write(SchemeCsv.Parse(text).Scheme!));
    }

    [Fact]
    public void ControlAndBidiCharacters_AreRowErrors_NamingTheColumn()
    {
        var body = ValidBody.Replace("Work organisation", "Work\u202Eorganisation").Replace("Goggles worn", "Goggles\u0007worn").Replace(",C2,", ",C\u00002,");
        var problems = SchemeCsv.Parse(Header + body).Problems;
        Assert.Contains(problems, p => p is { Row: 2, Field: SchemeCsv.CriterionName } && p.Message.Contains("U+202E", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Row: 4, Field: SchemeCsv.AspectDescription } && p.Message.Contains("U+0007", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Row: 5, Field: SchemeCsv.MarkingDay });
        Assert.Null(SchemeCsv.Parse(Header + body).Scheme);
        // A line break inside a description is text, not a control to refuse.
        Assert.Empty(SchemeCsv.Parse(Header + ValidBody.Replace("\"Spotless, all day\"", "\"Spotless,\nall day\"")).Problems);
    }

    [Fact]
    public void Names_AreReadNfcNormalised()
    {
        var scheme = SchemeCsv.Parse(Header + ValidBody.Replace("Safety", "Se\u0301curite\u0301"), "The\u0301").Scheme!;
        Assert.Equal("S\u00e9curit\u00e9", scheme.Criteria[0].SubCriteria[0].Name);
        Assert.Equal("Th\u00e9", scheme.Title);
        Assert.Single(SchemeCsv.Parse(Header + ValidBody, "Title\u202E").Problems, p => p.Field == "title");
    }

    [Fact]
    public void Export_NeutralisesFormulas_AndReadsThemBackExactly()
    {
        var s = SchemeCsv.Parse(Header + ValidBody, "Formulas").Scheme!;
        var formula = s with
        {
            Criteria = [s.Criteria[0] with
            {
                Name = "=cmd|'/C calc'!A0",
                SubCriteria = [s.Criteria[0].SubCriteria[0] with
                {
                    Name = "'+SUM(1+1)",
                    Aspects = [s.Aspects.First() with { Description = "@SUM(A1)", Requirement = "-2+3" }, s.Aspects.Last() with { Descriptors = ["-", "'-", "''=x", "'plain"] }],
                }],
            }],
        };
        var csv = SchemeCsv.Write(formula);
        Assert.Contains("\nA,'=cmd|'/C calc'!A0,", csv, StringComparison.Ordinal);
        Assert.Contains(",''+SUM(1+1),", csv, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(A1),", csv, StringComparison.Ordinal);
        Assert.Contains(",'-2+3,", csv, StringComparison.Ordinal);
        Assert.Contains(",'''=x,", csv, StringComparison.Ordinal);
        // Marks stay numbers; no cell starts with a formula character.
        Assert.Contains(",60.00,", csv, StringComparison.Ordinal);
        foreach (var cell in csv.Split("\r\n").SelectMany(line => line.Split(',')))
        {
            Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), cell);
        }
        var again = SchemeCsv.Parse(csv, formula.Title);
        Assert.Empty(again.Problems);
        Assert.Equal(formula, again.Scheme);
    }
}
