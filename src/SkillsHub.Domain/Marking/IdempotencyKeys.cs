namespace SkillsHub.Domain.Marking;

/// <summary>
/// An <c>Idempotency-Key</c> (docs/scoring.md, "Idempotency"): 1-100 printable ASCII characters, space included, as a
/// structured header's string allows. Found by an outside tester: a key of U+202E (which turns the text around it
/// right to left in the audit), or one with a zero-width space that looks like another key, was accepted.
/// </summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 100;

    public const string Rule = "Send an Idempotency-Key header (1-100 printable ASCII characters, unique per batch) so a resent batch is not counted twice.";

    /// <summary>True when <paramref name="key"/> (trimmed by the caller) is a key the server keeps.</summary>
    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= ' ' and <= '~');
}
