namespace SkillsHub.Storage;

/// <summary>A secret SkillsHub makes for itself and keeps in a file only its owner may read and write (mode 0600).</summary>
public static class SecretFile
{
    /// <summary>
    /// The text of <paramref name="path"/>, which is first written with <paramref name="make"/>'s secret when missing. The
    /// secret is written to a file beside it and renamed into place, so no reader sees half of it; of two processes
    /// making it at once, the first rename wins and both read its secret.
    /// </summary>
    public static string ReadOrCreate(string path, Func<string> make)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + "." + Guid.NewGuid().ToString("N")[..8];
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
            {
                writer.Write(make());
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temporary);
            }
        }
        return File.ReadAllText(path).Trim();
    }
}
