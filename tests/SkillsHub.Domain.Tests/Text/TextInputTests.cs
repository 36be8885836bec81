using SkillsHub.Domain.Text;
using SkillsHub.Domain;

namespace SkillsHub.Domain.Tests.Text;

public sealed class TextInputTests
{
    [Theory]
    [InlineData("Zhang\0Wei", "U+0000")]
    [InlineData("Bell\u0007", "U+0007")]
    [InlineData("evil\u202Egnp.exe", "U+202E")]
    [InlineData("\u2066isolate", "U+2066")]
    [InlineData("mark\u200F", "U+200F")]
    [InlineData("line\nbreak", "U+000A")]
    [InlineData("c1\u0085", "U+0085")]
    [InlineData("one\u2028line", "U+2028")]
    [InlineData("one\u2029line", "U+2029")]
    public void Check_RefusesControlAndBidiCharacters_NamingThem(string value, string code)
    {
        var fault = TextInput.Check(value);
        Assert.NotNull(fault);
        Assert.Contains(code, fault);
    }

    /// <summary>A line break in one-line text is said as one, not as a control character (found by an outside tester: Excel's Alt+Enter).</summary>
    [Theory]
    [InlineData("Line\r\nbreak", "U+000D", 5)]
    [InlineData("Line\nbreak", "U+000A", 5)]
    [InlineData("one\u2028line", "U+2028", 4)]
    public void ALineBreakInOneLineText_IsSaidAsOne(string value, string character, int position)
    {
        var fault = TextInput.FaultOf(value);
        Assert.Equal((RowCodes.LineBreak, character, position.ToString(System.Globalization.CultureInfo.InvariantCulture)), (fault?.Code, fault?.Args["char"], fault?.Args["position"]));
        Assert.Contains("remove the line break", fault!.Message, StringComparison.Ordinal);
        Assert.Null(TextInput.FaultOf(value, multiline: true));
    }

    [Theory]
    [InlineData("张伟")]
    [InlineData("José Müller")]
    [InlineData("O'Brien-Smith")]
    [InlineData("محمد")]
    [InlineData("👩‍🔧 Ana")]
    [InlineData("")]
    public void Check_AcceptsOrdinaryNames(string value) => Assert.Null(TextInput.Check(value));

    /// <summary>Found by an outside tester: a 5,000-character expert name was imported as it was.</summary>
    [Fact]
    public void Length_IsCapped_SingleLineAt200_MultilineAt4000()
    {
        Assert.Null(TextInput.Check(new string('a', 200)));
        var fault = TextInput.FaultOf(new string('a', 201));
        Assert.Equal((RowCodes.TextTooLong, "At most 200 characters (this has 201)."), (fault?.Code, fault?.Message));
        Assert.Null(TextInput.Check(new string('a', 4000), multiline: true));
        Assert.NotNull(TextInput.Check(new string('a', 4001), multiline: true));
        Assert.NotNull(TextInput.Check(new string('a', 201), multiline: false));
    }

    /// <summary>Found by an outside tester: 200 emoji were refused as "this has 400" (UTF-16 units counted, not characters).</summary>
    [Fact]
    public void Length_CountsCodePoints_NotUtf16Units()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 200));
        Assert.Null(TextInput.Check(emoji));
        var fault = TextInput.FaultOf(emoji + "😀");
        Assert.Equal("At most 200 characters (this has 201).", fault?.Message);
    }

    /// <summary>Found by an outside tester: a description sent as JSON with CRLF differed from the same one read from CSV.</summary>
    [Theory]
    [InlineData("one\r\ntwo", "one\ntwo")]
    [InlineData("one\rtwo\r\n\r\nthree", "one\ntwo\n\nthree")]
    [InlineData("one\ntwo", "one\ntwo")]
    [InlineData("  e\u0301 \r\n", "\u00E9")]
    public void Normalise_WritesEveryLineBreakAsLf(string value, string expected) =>
        Assert.Equal(System.Text.RegularExpressions.Regex.Unescape(expected), TextInput.Normalise(System.Text.RegularExpressions.Regex.Unescape(value)));

    /// <summary>Found by an outside tester: a reason, a name or a title of only U+200B passed every "required" check.</summary>
    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u2065\u2065")]               // default-ignorable code points, unassigned ones too (an outside tester)
    [InlineData("\uFFF0")]
    [InlineData("\U000E0000")]
    [InlineData("\U000E0002\U000E0003")]
    [InlineData(" \u2060\u00AD ")]
    [InlineData("\uFEFF")]
    [InlineData("\u3164")]
    [InlineData("\u200D\u200C")]
    [InlineData("\U000E0041\U000E0042")]
    [InlineData("\uFE0F\uFE0F")]
    [InlineData("\u180B")]
    [InlineData("\u17B4")]
    [InlineData("\U0001BCA0")]
    [InlineData("\U0001D173")]
    [InlineData("\U000E0100")]
    [InlineData("\u0301")]
    public void Check_RefusesTextWithNoVisibleCharacter(string value)
    {
        Assert.Equal(RowCodes.InvisibleText, TextInput.FaultOf(value)?.Code);
        Assert.Equal(RowCodes.InvisibleText, TextInput.FaultOf(value, multiline: true)?.Code);
    }

    [Theory]
    [InlineData("Anna\u200BSchmidt")]
    [InlineData("\u200Bx")]
    [InlineData("   ")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    [InlineData("\u2764\uFE0F")]
    [InlineData("\U0001F600")]
    [InlineData("e\u0301")]
    public void Check_KeepsInvisibleCharactersInsideVisibleText_AndLeavesBlankToTheRequiredChecks(string value) =>
        Assert.Null(TextInput.FaultOf(value));

    [Fact]
    public void Check_AllowsLineBreaksOnlyInMultilineText()
    {
        Assert.Null(TextInput.Check("first\r\nsecond\tthird", multiline: true));
        Assert.NotNull(TextInput.Check("first\u0000", multiline: true));
    }

    [Fact]
    public void Check_RefusesUnpairedSurrogates()
    {
        Assert.NotNull(TextInput.Check("a\uD800b"));
        Assert.NotNull(TextInput.Check("a\uDC00"));
    }

    /// <summary>Found by an outside tester: a data row beginning with a BOM kept it in the candidate's name.</summary>
    [Theory]
    [InlineData("\uFEFFZhang Wei", "Zhang Wei")]
    [InlineData(" \uFEFF 张伟 \uFEFF", "张伟")]
    [InlineData("\u200BZhang", "\u200BZhang")]        // a zero-width space is the text rule's to judge (alone, it is invisible text)
    [InlineData("Zhang\uFEFFWei", "Zhang\uFEFFWei")]   // inside the text it is the text's own (the text rule decides)
    public void Normalise_TrimsAByteOrderMarkAtTheEdges(string value, string expected) =>
        Assert.Equal(expected, TextInput.Normalise(value));

    [Fact]
    public void Normalise_ComposesToNfc_AndTrims()
    {
        var decomposed = " Jose\u0301 ";
        Assert.Equal("Jos\u00E9", TextInput.Normalise(decomposed));
        Assert.Equal(TextInput.Normalise("Jos\u00E9"), TextInput.Normalise(decomposed));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("\u00A0\u3000", null)]
    [InlineData(" Anna Schmidt ", "Anna Schmidt")]
    public void NormaliseOptional_TakesBlankAsLeftOut(string? value, string? expected) =>
        Assert.Equal(expected, TextInput.NormaliseOptional(value));

    /// <summary>A field's own, lower limit is checked as the general one is: one code and message for every length past it.</summary>
    [Theory]
    [InlineData(101)]
    [InlineData(201)]
    [InlineData(5000)]
    public void AFieldsOwnLimit_GivesOneFault_WhateverTheLength(int length)
    {
        var fault = TextInput.FaultOf(new string('n', length), maxLength: 100)!;
        Assert.Equal(RowCodes.TextTooLong, fault.Code);
        Assert.StartsWith("At most 100 characters", fault.Message);
        Assert.Null(TextInput.FaultOf(string.Concat(Enumerable.Repeat("\U0001F511", 100)), maxLength: 100));
    }

    /// <summary>Text kept from outside unrefused (a User-Agent) is made safe to show: controls, bidi controls and lone surrogates become U+FFFD.</summary>
    [Theory]
    [InlineData("Mozilla/5.0 (X11) 中文 \U0001F511", "Mozilla/5.0 (X11) 中文 \U0001F511")]
    [InlineData("evil \u202Egnp.exe", "evil \uFFFDgnp.exe")]
    [InlineData("a\u001b[31mb\u0000c\u2028d\u2066e\u200Ff", "a\uFFFD[31mb\uFFFDc\uFFFDd\uFFFDe\uFFFDf")]
    public void Displayable_ReplacesWhatCouldTurnOrHideText(string sent, string shown) => Assert.Equal(shown, TextInput.Displayable(sent));

    [Fact]
    public void Displayable_ReplacesALoneSurrogate()
    {
        // Built here: a lone surrogate does not survive an attribute's string.
        Assert.Equal("lone \uFFFD end", TextInput.Displayable("lone " + '\uD83D' + " end"));
        Assert.Equal("lone \uFFFD start", TextInput.Displayable("lone " + '\uDD11' + " start"));
        Assert.Equal("\uFFFDok", TextInput.Displayable(new string(['\uDD11', 'o', 'k'])));
    }

    [Fact]
    public void CheckAll_NamesEachFaultyField()
    {
        var faults = TextInput.CheckAll(("firstName", "Ann"), ("lastName", "Le\u202Ee"), ("name", null));
        Assert.Equal("lastName", Assert.Single(faults).Field);
    }
}

public sealed class ImportTextTests
{
    [Fact]
    public void CandidateImport_RefusesBidiOverrides_AndStoresNamesNfc()
    {
        var errors = new List<SkillsHub.Domain.Certification.LineError>();
        var fields = new Dictionary<string, string?> { ["name"] = "Ann\u202Eeil", ["id_type"] = "passport", ["id_number"] = "P1234567", ["education"] = "none" };
        Assert.Null(SkillsHub.Domain.Certification.ImportRows.Candidate(3, f => fields.GetValueOrDefault(f), errors));
        var error = Assert.Single(errors);
        Assert.Equal((3L, "name"), (error.Line, error.Field));
        Assert.Contains("U+202E", error.Message);

        fields["name"] = "Jose\u0301 Garci\u0301a";
        errors.Clear();
        var row = SkillsHub.Domain.Certification.ImportRows.Candidate(4, f => fields.GetValueOrDefault(f), errors);
        Assert.Empty(errors);
        Assert.Equal("Jos\u00E9 Garc\u00EDa", row!.Name);
    }
}
