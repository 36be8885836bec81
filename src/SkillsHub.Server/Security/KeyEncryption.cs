using System.Security.Cryptography;
using SkillsHub.Storage;

namespace SkillsHub.Server.Security;

/// <summary>
/// Encrypts secrets at rest (agencies' private signing keys, the certificate registry's token key) with AES-256-GCM
/// under a key-encryption key (KEK):
/// <c>Credentials:KeyEncryptionKey</c> (base64, 32 bytes; set it, identically, on every node of a
/// cluster), or <c>Credentials:KeyEncryptionKeyFile</c> naming a file that holds it. A production node (a
/// connection string set) does not start without one. The embedded demo generates one into a file beside its
/// database (<c>./.data/credentials.kek</c>, mode 0600) so a laptop needs no setup; that file is never committed.
/// </summary>
public sealed class KeyEncryption
{
    const int NonceSize = 12, TagSize = 16;
    readonly byte[] _kek;
    readonly Dictionary<string, byte[]> _previous;

    public KeyEncryption(IConfiguration configuration, SkillsHub.Storage.DatabaseLocation database, ILogger<KeyEncryption> logger)
    {
        var configured = configuration["Credentials:KeyEncryptionKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _kek = Parse(configured, "Credentials:KeyEncryptionKey");
        }
        else if (configuration["Credentials:KeyEncryptionKeyFile"] is { Length: > 0 } file)
        {
            // A file the operator provides (a compose secret, a Kubernetes Secret volume, a systemd credential);
            // only the embedded demo may generate its own.
            _kek = database.IsEmbedded ? LoadOrCreate(file) : ReadKeyFile("Credentials:KeyEncryptionKeyFile", file);
        }
        else if (!database.IsEmbedded)
        {
            // A key generated per node would differ between nodes: the others could not sign (docs/deployment.md).
            throw new StartupException("Credentials:KeyEncryptionKey is not set: give every node the same 32-byte base64 key (openssl rand -base64 32), or Credentials:KeyEncryptionKeyFile.");
        }
        else
        {
            var path = database.DataDirectory is { } data ? Path.Combine(Path.GetDirectoryName(data.TrimEnd(Path.DirectorySeparatorChar))!, "credentials.kek") : Path.GetFullPath(Path.Combine(".data", "credentials.kek"));
            _kek = LoadOrCreate(path);
            logger.LogDebug("Credentials key-encryption key: the generated {Path}", path);
        }
        KekId = IdOf(_kek);
        // Keys replaced by a rotation: still read, never written (docs/deployment.md).
        _previous = PreviousKeys(configuration, "Credentials").DistinctBy(IdOf).ToDictionary(IdOf, k => k);
    }

    static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..12];

    /// <summary>Decrypts a blob written under the KEK <paramref name="kekId"/>: the current one or one of the previous ones.</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> blob, string associatedData, string kekId) =>
        kekId == KekId ? Unprotect(blob, associatedData)
        : _previous.TryGetValue(kekId, out var previous) ? Decrypt(previous, blob, associatedData)
        : throw new CryptographicException($"No key-encryption key {kekId} on this node.");

    /// <summary>A fingerprint of the KEK, stored with each encrypted key, so a wrong KEK is named, not guessed.</summary>
    public string KekId { get; }

    /// <summary>Why <paramref name="what"/>, sealed under <paramref name="kekId"/>, cannot be opened here, and what to give this node.</summary>
    public string Unreadable(string what, string kekId) =>
        $"{what} is sealed with key-encryption key {kekId}; this node has {KekId} (and its previous keys): give it the cluster's key in Credentials:KeyEncryptionKey, or during a rotation the new key in Credentials:PreviousKeyEncryptionKeys first (docs/deployment.md, \"Rotating a key-encryption key\").";

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string associatedData)
    {
        var blob = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(NonceSize, plaintext.Length), blob.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(associatedData));
        return blob;
    }

    public byte[] Unprotect(ReadOnlySpan<byte> blob, string associatedData) => Decrypt(_kek, blob, associatedData);

    static byte[] Decrypt(byte[] kek, ReadOnlySpan<byte> blob, string associatedData)
    {
        var plaintext = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek, TagSize);
        aes.Decrypt(blob[..NonceSize], blob.Slice(NonceSize, plaintext.Length), blob[(NonceSize + plaintext.Length)..], plaintext, Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }

    /// <summary>
    /// The keys a rotation replaced (docs/deployment.md, "Rotating a key-encryption key"): <c>{section}:PreviousKeyEncryptionKeys</c>
    /// (comma-separated) and the keys in the file <c>{section}:PreviousKeyEncryptionKeysFile</c> names (one a line, or
    /// comma-separated), so that a node given its keys as files (the systemd unit's credentials) need not put an old key in
    /// plain text in its environment (found by an outside tester).
    /// </summary>
    public static IEnumerable<byte[]> PreviousKeys(IConfiguration configuration, string section)
    {
        var setting = $"{section}:PreviousKeyEncryptionKeys";
        var keys = (configuration[setting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => Parse(k, setting)).ToList();
        if (configuration[$"{setting}File"] is { Length: > 0 } file)
        {
            var listed = ReadSettingFile($"{setting}File", file, "keys");
            keys.AddRange(listed.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => Parse(k, $"{setting}File {file}")));
        }
        return keys;
    }

    /// <summary>
    /// The key in the file a setting names, refused naming the setting and the file: a missing file, a folder, or contents
    /// that are no key (found by an outside tester: a bad file was named by its path alone, a folder "did not exist").
    /// </summary>
    internal static byte[] ReadKeyFile(string setting, string file) => Parse(ReadSettingFile(setting, file, "key"), $"{setting} {file}");

    /// <summary>The text of the file a setting names, refused naming the setting when it is missing or a folder.</summary>
    static string ReadSettingFile(string setting, string file, string holds) =>
        File.Exists(file) ? File.ReadAllText(file)
        : Directory.Exists(file) ? throw new StartupException($"{setting} {file} is a folder: name the file that holds the {holds}.")
        : throw new StartupException($"{setting} {file} does not exist.");

    internal static byte[] Parse(string base64, string source)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            return key.Length == 32 ? key : throw new StartupException($"{source} must be 32 bytes (base64), not {key.Length}.");
        }
        catch (FormatException)
        {
            throw new StartupException($"{source} is not base64.");
        }
    }

    internal static byte[] LoadOrCreate(string path) =>
        Parse(SecretFile.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), path);
}
