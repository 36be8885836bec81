namespace SkillsHub.Domain.Tests.Scoring;

/// <summary>Locates the shipped sample schemes under seed-data/marking-schemes.</summary>
internal static class SampleSchemes
{
    public static readonly string[] Names = ["cnc-milling-sample", "restaurant-service-sample"];

    public static string Path(string fileName)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(System.IO.Path.Combine(dir.FullName, "seed-data", "marking-schemes")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new DirectoryNotFoundException("seed-data/marking-schemes not found above the test binaries.")
            : System.IO.Path.Combine(dir.FullName, "seed-data", "marking-schemes", fileName);
    }

    public static string Read(string fileName) => File.ReadAllText(Path(fileName));
}
