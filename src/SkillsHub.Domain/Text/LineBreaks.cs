using System.Numerics;

namespace SkillsHub.Domain.Text;

/// <summary>Line breaks as an editor counts them: CR LF, LF, or CR alone (a file from an old Mac).</summary>
public static class LineBreaks
{
    /// <summary>How many line breaks <paramref name="text"/> holds, in characters or in bytes of UTF-8.</summary>
    public static long Count<T>(ReadOnlySpan<T> text) where T : IBinaryInteger<T>
    {
        T lf = T.CreateTruncating('\n'), cr = T.CreateTruncating('\r');
        var breaks = 0L;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == lf || (text[i] == cr && (i + 1 == text.Length || text[i + 1] != lf)))
            {
                breaks++;
            }
        }
        return breaks;
    }
}
