using System.Text;
using Dapper;
using Npgsql;
using SkillsHub.Domain.Text;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>
/// The type of work's key (<c>skillshub.work_type_key</c>, docs/certification.md, "Imports"), by which two sessions are
/// one exam, against the Domain's rule for what shows nothing (<see cref="TextInput.ShowsNothing"/>): every character
/// that shows nothing and is no space is left out, every space is one space, and no other character is left out.
/// Found by an outside tester: a zero-width space, a soft hyphen or a zero-width joiner inside "pipe welding" made
/// another exam, and the person was certified twice for one. Runs in the collection's shared node's database.
/// </summary>
[Collection(ServerCollection.Certification)]
public sealed class WorkTypeKeyTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    /// <summary>Every code point of the basic plane and of the supplementary planes' invisible ranges, and one in 97 of the rest.</summary>
    static IEnumerable<Rune> CodePoints() =>
        Enumerable.Range(1, 0x10FFFF)
            .Where(c => c is < 0xD800 or > 0xDFFF)
            .Where(c => c <= 0xFFFF || c % 97 == 0 || TextInput.ShowsNothing(new Rune(c)))
            .Select(c => new Rune(c));

    [Fact]
    public async Task TheKey_LeavesOutWhatShowsNothing_AndOnlyThat()
    {
        var runes = CodePoints().ToArray();
        var typed = runes.Select(r => $"Pipe{r}welding").ToArray();
        await using var connection = new NpgsqlConnection(shared.Database);
        var keys = (await connection.QueryAsync<string>(
            "select skillshub.work_type_key(t) from unnest(@typed) with ordinality as u(t, i) order by i", new { typed })).ToArray();
        Assert.Equal(runes.Length, keys.Length);

        var wrong = new List<string>();
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            var expected = Rune.IsWhiteSpace(rune) ? "pipe welding" : TextInput.ShowsNothing(rune) ? "pipewelding" : null;
            var fine = expected is null ? keys[i] is not ("pipewelding" or "pipe welding") : keys[i] == expected;
            if (!fine)
            {
                wrong.Add($"U+{rune.Value:X4} ({Rune.GetUnicodeCategory(rune)}): \"{keys[i]}\"");
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} code points keyed unlike the Domain's rule: {string.Join("; ", wrong.Take(40))}");
    }

    [Theory]
    [InlineData("Pipe welding", "pipe\u200B welding")]
    [InlineData("Pipe welding", "pi\u00ADpe wel\u200Dding")]
    [InlineData("Pipe welding", "\u2060Pipe welding \u200B")]
    [InlineData("Pipe welding", "PIPE\u3000\u3000Ｗｅｌｄｉｎｇ")]
    public async Task SpellingsThatReadTheSame_AreOneKey(string stored, string typed)
    {
        await using var connection = new NpgsqlConnection(shared.Database);
        Assert.True(await connection.ExecuteScalarAsync<bool>(
            "select skillshub.work_type_key(@stored) = skillshub.work_type_key(@typed)", new { stored, typed }));
    }

    [Theory]
    [InlineData("Pipe welding", "Pipe-welding")]
    [InlineData("Pipe welding", "Pipewelding")]
    [InlineData("Café", "Cafe")]
    public async Task SpellingsThatReadOtherwise_AreTwoKeys(string one, string other)
    {
        await using var connection = new NpgsqlConnection(shared.Database);
        Assert.False(await connection.ExecuteScalarAsync<bool>(
            "select skillshub.work_type_key(@one) = skillshub.work_type_key(@other)", new { one, other }));
    }
}
