namespace SkillsHub.Domain.Text;

/// <summary>A count with its noun in the number it takes: "1 row", "3 rows" (an outside tester: "3000 row(s) stored").</summary>
public static class Counted
{
    public static string Of(long count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
