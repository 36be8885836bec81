using CsvHelper;
using CsvHelper.Configuration;

namespace SkillsHub.Server.Platform;

/// <summary>
/// Reads the tab-separated files shipped under seed-data (the reference data, the sample occupation catalogue): a header
/// row, no quoting, every row as many fields as the header. Each row is a map from the header's names to its fields.
/// </summary>
public static class TsvFile
{
    public static List<IReadOnlyDictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = "\t", Mode = CsvMode.NoEscape });
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(header.Select((name, i) => (name, value: csv.GetField(i) ?? "")).ToDictionary(x => x.name, x => x.value));
        }
        return rows;
    }
}
