using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using SkillsHub.Server.Credentials;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// One Data Protection key ring for the whole cluster, in PostgreSQL (<c>skillshub.data_protection_keys</c>),
/// so a sign-in cookie issued by one node is accepted by every other, with no shared volume. The key material
/// is encrypted at rest with AES-256-GCM under <c>DataProtection:KeyEncryptionKey</c> (base64, 32 bytes, the
/// same on every node; required in production); <c>DataProtection:PreviousKeyEncryptionKeys</c> still decrypts
/// keys written before a rotation (docs/deployment.md).
/// </summary>
public static class DataProtectionRegistration
{
    public const string Setting = "DataProtection:KeyEncryptionKey";

    // Arbitrary but fixed: nodes starting together create the first key one at a time.
    const long KeyRingLockKey = 0x536B696C6C734450;

    public static WebApplicationBuilder AddSharedDataProtection(this WebApplicationBuilder builder, SkillsHubDatabase database)
    {
        var keys = DataProtectionKeks.Load(builder.Configuration, new SkillsHub.Storage.DatabaseLocation(database.IsEmbedded, database.DataDirectory));
        builder.Services.AddSingleton(keys);
        // The application name, not the install path, decides which nodes share keys.
        builder.Services.AddDataProtection().SetApplicationName("SkillsHub");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new DataProtectionKeyStore(services.GetRequiredService<NpgsqlDataSource>());
            o.XmlEncryptor = new AesGcmXmlEncryptor(keys);
        }));
        return builder;
    }

    /// <summary>
    /// Loads (or, on a new database, creates) the key ring before the node serves anything, under an advisory
    /// lock: nodes started together then share the first key instead of each making its own.
    /// </summary>
    public static async Task InitialiseKeyRingAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand($"select pg_advisory_lock({KeyRingLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            // A node with another cluster's key would quietly make a key ring of its own: refuse to start instead.
            var ours = services.GetRequiredService<DataProtectionKeks>().All.Select(DataProtectionKeks.IdOf).ToHashSet();
            var stored = new DataProtectionKeyStore(services.GetRequiredService<NpgsqlDataSource>()).GetAllElements()
                .SelectMany(e => e.Descendants("skillshubEncrypted")).Select(e => (string?)e.Attribute("kek")).OfType<string>().ToHashSet();
            if (stored.Count > 0 && !stored.Overlaps(ours))
            {
                throw new StartupException($"the key ring in the database is encrypted with {DataProtectionRegistration.Setting} {string.Join("/", stored)}, this node has {string.Join("/", ours)}: give it the cluster's key, or during a rotation the key the ring is encrypted with in {DataProtectionRegistration.Setting.Replace("KeyEncryptionKey", "PreviousKeyEncryptionKeys")} (docs/deployment.md, \"Rotating a key-encryption key\").");
            }
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("SkillsHub.KeyRing").Protect([1]);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock({KeyRingLockKey})", connection);
            await release.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>The key-encryption keys for the key ring: the current one (encrypts and decrypts) and earlier ones (decrypt only).</summary>
public sealed class DataProtectionKeks
{
    DataProtectionKeks(byte[] current, IReadOnlyList<byte[]> previous)
    {
        Current = current;
        All = [current, .. previous];
    }

    public byte[] Current { get; }

    public IReadOnlyList<byte[]> All { get; }

    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..12];

    internal static DataProtectionKeks Load(IConfiguration configuration, SkillsHub.Storage.DatabaseLocation database)
    {
        var previous = KeyEncryption.PreviousKeys(configuration, "DataProtection").ToList();
        if (configuration[DataProtectionRegistration.Setting] is { Length: > 0 } configured)
        {
            return new(KeyEncryption.Parse(configured, DataProtectionRegistration.Setting), previous);
        }
        if (configuration["DataProtection:KeyEncryptionKeyFile"] is { Length: > 0 } file)
        {
            return new(database.IsEmbedded ? KeyEncryption.LoadOrCreate(file) : KeyEncryption.ReadKeyFile("DataProtection:KeyEncryptionKeyFile", file), previous);
        }
        if (!database.IsEmbedded)
        {
            throw new StartupException($"{DataProtectionRegistration.Setting} is not set: give every node the same 32-byte base64 key (openssl rand -base64 32), or DataProtection:KeyEncryptionKeyFile.");
        }
        // The embedded demo: a generated key beside its database, like the credentials key.
        var path = Path.Combine(Path.GetDirectoryName(database.DataDirectory!.TrimEnd(Path.DirectorySeparatorChar))!, "dataprotection.kek");
        return new(KeyEncryption.LoadOrCreate(path), previous);
    }
}

/// <summary>Encrypts a key's secret element with AES-256-GCM; the KEK's fingerprint goes with it so a rotation can find the right one.</summary>
sealed class AesGcmXmlEncryptor(DataProtectionKeks keys) : IXmlEncryptor
{
    internal const int NonceSize = 12, TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var blob = new byte[NonceSize + plaintext.Length + TagSize];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceSize));
        using (var aes = new AesGcm(keys.Current, TagSize))
        {
            aes.Encrypt(blob.AsSpan(0, NonceSize), plaintext, blob.AsSpan(NonceSize, plaintext.Length), blob.AsSpan(NonceSize + plaintext.Length));
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("skillshubEncrypted", new XAttribute("kek", DataProtectionKeks.IdOf(keys.Current)), Convert.ToBase64String(blob));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="AesGcmXmlEncryptor"/> wrote (created by the key manager with the service provider).</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = services.GetRequiredService<DataProtectionKeks>();
        var kekId = (string?)encryptedElement.Attribute("kek");
        var kek = keys.All.FirstOrDefault(k => DataProtectionKeks.IdOf(k) == kekId)
            ?? throw new CryptographicException($"The Data Protection key ring was encrypted with key-encryption key {kekId}, which this node does not have: set {DataProtectionRegistration.Setting} (or DataProtection:PreviousKeyEncryptionKeys) to the cluster's key.");
        var blob = Convert.FromBase64String(encryptedElement.Value);
        const int nonce = AesGcmXmlEncryptor.NonceSize, tag = AesGcmXmlEncryptor.TagSize;
        var plaintext = new byte[blob.Length - nonce - tag];
        using (var aes = new AesGcm(kek, tag))
        {
            aes.Decrypt(blob.AsSpan(0, nonce), blob.AsSpan(nonce, plaintext.Length), blob.AsSpan(nonce + plaintext.Length), plaintext);
        }
        var element = XElement.Parse(Encoding.UTF8.GetString(plaintext));
        CryptographicOperations.ZeroMemory(plaintext);
        return element;
    }
}
