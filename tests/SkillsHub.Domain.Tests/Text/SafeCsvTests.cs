using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Tests.Text;

public sealed class SafeCsvTests
{
    static string Write(params object[] cells)
    {
        using var text = new StringWriter();
        using (var csv = SafeCsv.CreateWriter(text, leaveOpen: true))
        {
            foreach (var cell in cells)
            {
                csv.WriteField(cell);
            }
            csv.NextRecord();
        }
        return text.ToString().TrimEnd('\r', '\n');
    }

    [Theory]
    [InlineData("=cmd|'/C calc'!A0", "'=cmd|'/C calc'!A0")]
    [InlineData("+SUM(1+1)", "'+SUM(1+1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("\rCR", "'\rCR")]
    [InlineData("＝HYPERLINK(\"http://x\",\"y\")", "'＝HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("＋1", "'＋1")]
    [InlineData("＠SUM(1)", "'＠SUM(1)")]
    [InlineData("Zhang Wei", "Zhang Wei")]
    [InlineData("a=b", "a=b")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("", "")]
    [InlineData("Doe;=1+1", "Doe;'=1+1")]
    [InlineData("Roe;=cmd|' /C calc'!A0;@SUM(1)", "Roe;'=cmd|' /C calc'!A0;'@SUM(1)")]
    [InlineData("=1;-2+3", "'=1;'-2+3")]
    [InlineData("Poe; \"@x", "Poe;' \"@x")]
    [InlineData("Poe;'=1", "Poe;'=1")]
    [InlineData("Doe;\u00A0=1+1", "Doe;'\u00A0=1+1")]
    [InlineData("Doe;\u3000\u2003@x", "Doe;'\u3000\u2003@x")]
    [InlineData("Doe;\t1", "Doe;'\t1")]
    [InlineData("Line one\n-2+3", "Line one\n'-2+3")]
    [InlineData("a;b;", "a;b;")]
    public void Neutralise_FollowsTheOwaspRule(string cell, string expected) => Assert.Equal(expected, SafeCsv.Neutralise(cell));

    [Fact]
    public void Writer_EscapesFormulas_ButKeepsNumbers()
    {
        // CsvHelper also quotes an escaped cell (OWASP: prefix with an apostrophe and quote the cell).
        Assert.Equal("\"'=cmd|'/C calc'!A0\",\"'+SUM(1+1)\",Zhang,-5,712.34,3", Write("=cmd|'/C calc'!A0", "+SUM(1+1)", "Zhang", -5, 712.34m, 3));
    }

    /// <summary>
    /// Found by an outside tester: a name "Doe;=1+1" was written unquoted and as it was, and a spreadsheet splitting at
    /// semicolons (a German or French Excel opening the file) read a cell "=1+1". Read that way, no cell now starts with
    /// a formula character, and a cell with a semicolon is quoted.
    /// </summary>
    [Fact]
    public void Writer_LeavesNoFormula_ForASpreadsheetThatSplitsAtSemicolons()
    {
        var line = Write(1, "Ann", "Doe;=1+1", "Roe;=cmd|' /C calc'!A0", "Poe;@SUM(1+1)", "Chief; -2+3", "x;\"=1", 738);
        Assert.Equal("1,Ann,\"Doe;'=1+1\",\"Roe;'=cmd|' /C calc'!A0\",\"Poe;'@SUM(1+1)\",\"Chief;' -2+3\",\"x;'\"\"=1\",738", line);
        foreach (var cell in line.Split(';'))
        {
            Assert.DoesNotMatch("^[ \"]*[=+\\-@]", cell);
        }
    }

    [Fact]
    public void Writer_QuotesWhatCsvNeedsQuoted_AfterEscaping()
    {
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", Write("=HYPERLINK(\"http://x\",\"y\")"));
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("'=1+2", "''=1+2")]
    [InlineData("''@x", "'''@x")]
    [InlineData("-3", "-3")]
    [InlineData("'-3", "''-3")]
    [InlineData("'plain", "'plain")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("", "")]
    [InlineData("Crit;=1+1", "Crit;'=1+1")]
    [InlineData("Crit;'=1+1", "Crit;''=1+1")]
    [InlineData("=a;''@b; \"-c;d", "'=a;'''@b;' \"-c;d")]
    [InlineData("a;'b", "a;'b")]
    [InlineData("Tidy\n=1+1\r\n@x", "Tidy\n'=1+1\r\n'@x")]
    [InlineData("Tidy\n'=1", "Tidy\n''=1")]
    public void NeutraliseReversibly_AddsOneApostrophe_ThatRestoreTakesOff(string cell, string written)
    {
        Assert.Equal(written, SafeCsv.NeutraliseReversibly(cell));
        Assert.Equal(cell, SafeCsv.Restore(written));
    }

    [Fact]
    public void Restore_LeavesCellsTheExportCannotHaveEscaped()
    {
        Assert.Equal("'plain", SafeCsv.Restore("'plain"));
        Assert.Equal("'", SafeCsv.Restore("'"));
        Assert.Equal("-3", SafeCsv.Restore("-3"));
    }
}
