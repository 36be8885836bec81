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

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/>, readable and writable by its owner only (mode 0600), also
    /// when the file was there before with a wider mode. Found by an outside tester: the demo's sign-in files were 0644.
    /// </summary>
    public static void Write(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        // Without a byte-order mark: a script matching the first line (grep '^admin user') found nothing (an outside tester).
        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(text);
        }
        Restrict(path);
    }

    /// <summary>Narrows an existing file to its owner (mode 0600).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
