using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public sealed class ImportRowsTests
{
    static Func<string, string?> Fields(params (string Key, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value);
        return key => map.GetValueOrDefault(key);
    }

    [Fact]
    public void Candidate_Valid()
    {
        var errors = new List<LineError>();
        var row = ImportRows.Candidate(2, Fields(("name", "张伟"), ("id_type", "resident"), ("id_number", "11010119900307651X"),
            ("education", "college"), ("in_occupation_since", "2015-03-01"), ("held_level", "4"), ("held_since", "2019-07-01")), errors);

        Assert.Empty(errors);
        Assert.Equal((SkillLevel.Level4, Education.College), (row!.HeldLevel, row.Education));
    }

    /// <summary>
    /// A name is at most 100 characters, each code point one (found by an outside tester: 60 characters of CJK Extension B,
    /// two UTF-16 units each, were refused "at most 100 characters"), as the setup imports count them.
    /// </summary>
    [Theory]
    [InlineData("\U00020000", 100, true)]
    [InlineData("\U00020000", 101, false)]
    [InlineData("张", 100, true)]
    [InlineData("a", 101, false)]
    public void Candidate_Name_IsAtMost100Characters_CountedAsCodePoints(string character, int count, bool taken)
    {
        var errors = new List<LineError>();
        var row = ImportRows.Candidate(2, Fields(("name", string.Concat(Enumerable.Repeat(character, count))), ("id_type", "passport"), ("id_number", "P1234567")), errors);
        Assert.Equal(taken, row is not null);
        if (!taken)
        {
            var error = Assert.Single(errors);
            Assert.Equal(("name", RowCodes.TextTooLong), (error.Field, error.Code));
            Assert.Contains($"this has {count}", error.Message);
        }
    }

    /// <summary>
    /// An ID number is read in the form the holder search reads it (found by an outside tester: a full-width number, which
    /// the search took, was refused by the import): full-width as plain, spaces and a Hong Kong card's brackets left out.
    /// </summary>
    [Theory]
    [InlineData("resident", "１１０１０１１９９００３０７６５１ｘ", "11010119900307651X")]
    [InlineData("resident", "110101 19900307 651x", "11010119900307651X")]
    [InlineData("hk-macao", "H1234567(8)", "H12345678")]
    [InlineData("passport", " e1234567 ", "E1234567")]
    public void Candidate_IdNumber_IsReadInItsPlainForm(string type, string typed, string stored)
    {
        var errors = new List<LineError>();
        var row = ImportRows.Candidate(2, Fields(("name", "张伟"), ("id_type", type), ("id_number", typed)), errors);
        Assert.Empty(errors);
        Assert.Equal(stored, row!.IdNumber);
        Assert.Equal(stored, IdNumbers.Plain(typed));
    }

    /// <summary>A level held needs its date, and a date needs its level (found by an outside tester: the date alone was dropped silently).</summary>
    [Theory]
    [InlineData("4", "", "held_since", RowCodes.HeldSinceRequired)]
    [InlineData("", "2020-01-01", "held_level", RowCodes.HeldLevelRequired)]
    public void Candidate_HeldLevelAndHeldSince_ComeTogether(string level, string since, string field, string code)
    {
        var errors = new List<LineError>();
        Assert.Null(ImportRows.Candidate(2, Fields(("name", "A"), ("id_type", "passport"), ("id_number", "P1234567"), ("held_level", level), ("held_since", since)), errors));
        var error = Assert.Single(errors);
        Assert.Equal((field, code), (error.Field, error.Code));
    }

    /// <summary>Found by an outside tester: a bad ID number (or another column's error) left the missing date out of the report.</summary>
    [Theory]
    [InlineData("other", "X3", "4", "", "id_number", "held_since")]
    [InlineData("resident", "110101199003076510", "4", "", "id_number", "held_since")]
    [InlineData("passport", "P1234567", "", "2020-01-01", "education", "held_level")]
    public void Candidate_TheHeldColumnsErrors_AreReported_BesideOtherColumns(string idType, string idNumber, string level, string since, string otherField, string heldField)
    {
        var errors = new List<LineError>();
        var education = otherField == "education" ? "university" : "";
        Assert.Null(ImportRows.Candidate(2, Fields(("name", "周一"), ("id_type", idType), ("id_number", idNumber), ("education", education), ("held_level", level), ("held_since", since)), errors));
        Assert.Equal([otherField, heldField], errors.Select(e => e.Field));
    }

    /// <summary>Found by an outside tester: 0001-01-01 in the occupation made anyone eligible by work years; 2099 was stored.</summary>
    [Theory]
    [InlineData("in_occupation_since", "0001-01-01")]
    [InlineData("in_occupation_since", "1899-12-31")]
    [InlineData("in_occupation_since", "2026-12-03")]
    [InlineData("held_since", "1800-01-01")]
    [InlineData("held_since", "2099-01-01")]
    public void Candidate_DatesBefore1900OrAfterToday_AreRefused(string column, string date)
    {
        var today = new DateOnly(2026, 12, 2);
        var errors = new List<LineError>();
        var fields = new Dictionary<string, string> { ["name"] = "张伟", ["id_type"] = "resident", ["id_number"] = "11010119900307651X", ["in_occupation_since"] = "2015-03-01", ["held_level"] = "4", ["held_since"] = "2019-07-01" };
        fields[column] = date;

        Assert.Null(ImportRows.CandidateAsOf(today)(3, key => fields.GetValueOrDefault(key), errors));
        var error = Assert.Single(errors);
        Assert.Equal((column, RowCodes.DateImpossible), (error.Field, error.Code));
        // Today itself and 1900 are dates a history can hold.
        fields[column] = "2026-12-02";
        Assert.NotNull(ImportRows.CandidateAsOf(today)(3, key => fields.GetValueOrDefault(key), errors = []));
        // (A passport carries no birth date; a resident ID's would refuse 1900 as before the holder's birth.)
        fields["id_type"] = "passport";
        fields["id_number"] = "E12345678";
        fields[column] = "1900-01-01";
        Assert.NotNull(ImportRows.CandidateAsOf(today)(3, key => fields.GetValueOrDefault(key), errors));
    }

    /// <summary>Found by an outside tester: a level held, or work in the occupation, dated before the holder's birth counted towards eligibility.</summary>
    [Theory]
    [InlineData("in_occupation_since")]
    [InlineData("held_since")]
    public void Candidate_DatesBeforeTheResidentIdsBirthDate_AreRefused(string column)
    {
        var errors = new List<LineError>();
        // Born 1990-03-07 (digits 7-14 of the ID).
        var fields = new Dictionary<string, string> { ["name"] = "张伟", ["id_type"] = "resident", ["id_number"] = "11010119900307651X", ["in_occupation_since"] = "2015-03-01", ["held_level"] = "4", ["held_since"] = "2019-07-01" };
        fields[column] = "1990-03-06";

        Assert.Null(ImportRows.Candidate(3, key => fields.GetValueOrDefault(key), errors));
        var error = Assert.Single(errors);
        Assert.Equal((column, RowCodes.DateBeforeBirth), (error.Field, error.Code));
        // From the birth to the day before the 16th birthday: before the working age (found by an outside tester: a
        // ten-year-old had ten years in the occupation, a newborn a completed apprenticeship).
        foreach (var early in new[] { "1990-03-07", "2006-03-06" })
        {
            fields[column] = early;
            Assert.Null(ImportRows.Candidate(3, key => fields.GetValueOrDefault(key), errors = []));
            var young = Assert.Single(errors);
            Assert.Equal((column, RowCodes.BeforeWorkingAge), (young.Field, young.Code));
            Assert.Equal("2006-03-07", young.Args!["turned"]);
        }
        fields[column] = "2006-03-07";
        Assert.NotNull(ImportRows.Candidate(3, key => fields.GetValueOrDefault(key), errors = []));
    }

    /// <summary>
    /// A candidate sits an exam at 16 or older (docs/certification.md, "Age"): the day before the 16th birthday is refused
    /// naming the ID number, the birthday itself is not.
    /// </summary>
    [Theory]
    [InlineData("11010119900307651X", "2006-03-06", false)]
    [InlineData("11010119900307651X", "2006-03-07", true)]
    [InlineData("110101200002290018", "2016-02-28", false)]
    [InlineData("110101200002290018", "2016-02-29", true)]
    public void Candidate_UnderSixteenOnTheExamDate_IsRefused(string id, string exam, bool accepted)
    {
        var fields = new Dictionary<string, string> { ["name"] = "张伟", ["id_type"] = "resident", ["id_number"] = id };
        var errors = new List<LineError>();
        var row = ImportRows.CandidateAsOf(new DateOnly(2026, 12, 7), DateOnly.Parse(exam, System.Globalization.CultureInfo.InvariantCulture))(3, key => fields.GetValueOrDefault(key), errors);
        Assert.Equal(accepted, row is not null);
        if (!accepted)
        {
            Assert.Equal(("id_number", RowCodes.UnderWorkingAge), (Assert.Single(errors).Field, errors[0].Code));
        }
    }

    /// <summary>
    /// An ID number refused as impossible (a birth date after today) is the row's one error about it: no birth date is read
    /// from it for the exam's or the history's dates (found by an outside tester: "born 2026-12-09, after the exam" as well).
    /// </summary>
    [Fact]
    public void Candidate_AnImpossibleResidentId_IsOneError()
    {
        var fields = new Dictionary<string, string> { ["name"] = "张伟", ["id_type"] = "resident", ["id_number"] = "310101202612091231", ["in_occupation_since"] = "2020-01-01" };
        var errors = new List<LineError>();
        Assert.Null(ImportRows.CandidateAsOf(new DateOnly(2026, 12, 7), new DateOnly(2000, 1, 1))(3, key => fields.GetValueOrDefault(key), errors));
        Assert.Equal("id_number", Assert.Single(errors).Field);
        Assert.Contains("not after today", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_ErrorsNameLineAndField()
    {
        var errors = new List<LineError>();
        var row = ImportRows.Candidate(7, Fields(("name", ""), ("id_type", "resident"), ("id_number", "110101199003076516"), ("held_level", "6")), errors);

        Assert.Null(row);
        Assert.Equal([(7L, "name"), (7L, "id_number"), (7L, "held_level")], errors.Select(e => (e.Line, e.Field)));
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("6o")]
    [InlineData("60.123")]
    public void Result_RejectsBadMarks(string mark)
    {
        var errors = new List<LineError>();
        Assert.Null(ImportRows.Result(3, Fields(("id_type", "passport"), ("id_number", "E1234567"), ("theory", mark), ("practical", "70")), errors));
        Assert.Equal("theory", errors.Single().Field);
    }

    [Fact]
    public void Occupation_AcceptsMajorGroupsAndOccupations()
    {
        var errors = new List<LineError>();
        Assert.True(ImportRows.Occupation(2, Fields(("code", "6"), ("name_zh", "生产制造及有关人员"), ("name_en", "Production")), errors)!.IsMajorGroup);
        Assert.Equal("Welding", ImportRows.Occupation(3, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder"), ("related_worldskills_skill", "Welding")), errors)!.WorldSkillsSkill);
        // A file without the column leaves the stored skill as it is; a blank cell clears it (as the setup imports do).
        Assert.False(ImportRows.Occupation(4, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder")), errors)!.WorldSkillsSkillGiven);
        var cleared = ImportRows.Occupation(5, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder"), ("related_worldskills_skill", "")), errors)!;
        Assert.True(cleared.WorldSkillsSkillGiven);
        Assert.Null(cleared.WorldSkillsSkill);
        Assert.Null(ImportRows.Occupation(4, Fields(("code", "6-18-2-04"), ("name_zh", "焊工"), ("name_en", "Welder")), errors));
        Assert.Equal((4L, "code"), (errors.Single().Line, errors.Single().Field));
        // Certificate validity: years 1 to 50, blank for none; without the column the stored value stays.
        var valid = ImportRows.Occupation(6, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder"), ("certificate_validity_years", "5")), errors)!;
        Assert.Equal((short?)5, valid.ValidityYears);
        Assert.True(valid.ValidityGiven);
        Assert.False(ImportRows.Occupation(7, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder")), errors)!.ValidityGiven);
        var none = ImportRows.Occupation(8, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder"), ("certificate_validity_years", "")), errors)!;
        Assert.True(none.ValidityGiven && none.ValidityYears is null);
        var before = errors.Count;
        foreach (var bad in new[] { "0", "51", "-1", "5.5", "five", "1e1" })
        {
            Assert.Null(ImportRows.Occupation(9, Fields(("code", "6-18-02-04"), ("name_zh", "焊工"), ("name_en", "Welder"), ("certificate_validity_years", bad)), errors));
        }
        Assert.Equal(before + 6, errors.Count);
        Assert.All(errors.Skip(before), e => Assert.Equal("certificate_validity_years", e.Field));
    }
}
