using SkillsHub.Abstractions;

namespace SkillsHub.Server.Api;

/// <summary>How a setup import's refused rows are answered (docs/scoring.md, "Setup imports").</summary>
public static partial class SetupApi
{
    /// <summary>How much of a text from the file a refusal quotes back.</summary>
    const int QuotedLength = 200;

    /// <summary>
    /// A refused row as it is shown: whatever it quotes from the file (a value, an id, a property's name) cut at
    /// <see cref="QuotedLength"/> characters and made visible (<see cref="Domain.Text.TextInput.Quoted"/>), in its arguments and in its message alike,
    /// and the message at most 1,000 characters. A 4 MB member code came back four times over, with U+202E, ESC and NUL
    /// as they were (found by an outside tester; docs/scoring.md, "Setup imports").
    /// </summary>
    static RowProblem Shown(RowProblem problem)
    {
        var message = problem.Message;
        foreach (var raw in (problem.Args?.Values ?? []).Append(problem.Field).Append(problem.Id ?? "").Where(v => v.Length > 0).OrderByDescending(v => v.Length))
        {
            var shown = Domain.Text.TextInput.Quoted(raw, QuotedLength);
            if (shown != raw)
            {
                message = message.Replace(raw, shown, StringComparison.Ordinal);
            }
        }
        return problem with
        {
            Id = problem.Id is null ? null : Domain.Text.TextInput.Quoted(problem.Id, QuotedLength),
            Field = Domain.Text.TextInput.Quoted(problem.Field, QuotedLength),
            Args = problem.Args?.ToDictionary(a => a.Key, a => Domain.Text.TextInput.Quoted(a.Value, QuotedLength)),
            Message = Domain.Text.TextInput.Quoted(message, 1000),
        };
    }

    /// <summary>One refused row as the 422 answer's <c>rows</c> lists it: where, the stable code and its arguments, the English message.</summary>
    public sealed record RowProblem(int? Row, string? Id, string Field, string Code, IReadOnlyDictionary<string, string>? Args, string Message);

    static ProblemHttpResult RowErrors(string title, IEnumerable<RowError> errors) =>
        WithRows(title, errors.Select(e => new RowProblem(e.Row, null, e.Field, e.Code, e.Args, e.Message)).ToList());

    /// <summary>
    /// The refusal of an import: <c>errors</c> keyed "row N: field" (or "id: field") for API clients, and
    /// <c>rows</c> with each row's code and arguments, which the pages translate (docs/pages.md, "Languages").
    /// </summary>
    static ProblemHttpResult WithRows(string title, List<RowProblem> rows)
    {
        rows = rows.Select(Shown).ToList();
        var result = Problems.Unprocessable(title, rows.Select(p => (p.Row is { } row ? $"row {row}: {p.Field}" : p.Id is { } id ? $"{id}: {p.Field}" : p.Field, p.Message)));
        result.ProblemDetails.Extensions["rows"] = rows;
        return result;
    }
}
