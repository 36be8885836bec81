using System.Security.Cryptography;

namespace SkillsHub.Server.Security;

/// <summary>
/// What a signed-in principal was made from (docs/security.md, "Accounts, sessions and tablets"): the account's password
/// hash, roles, agency and must-change flag, as one hash carried in the principal. A session, or an API token created
/// with one, is stored only while the account is enabled and still has that stamp, read under the account's row lock,
/// which every change of these takes too: a change ends the sessions and tokens it finds, and one stored after it is
/// refused here. So a sign-in or a token creation that overlaps a demotion, a password change or an admin's reset cannot
/// outlive it (found by an outside tester: sessions signed in during a demotion kept Admin for their 12 hours).
/// </summary>
public static class AccountStamp
{
    public const string Claim = "skillshub:stamp";

    public static string Of(AccountStore.Account account) =>
        Of(account.PasswordHash, account.Roles, account.AgencyCode, account.MustChangePassword);

    static string Of(string passwordHash, string[] roles, string? agencyCode, bool mustChangePassword) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', passwordHash, string.Join(',', roles), agencyCode ?? "", mustChangePassword ? "1" : "0"))));

    /// <summary>Whether the account is enabled and still has <paramref name="stamp"/>; its row is held (shared) until the transaction ends.</summary>
    public static async Task<bool> HoldsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid account, string? stamp, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            select password_hash as PasswordHash, roles as Roles, agency_code as AgencyCode, must_change_password as MustChangePassword, disabled_at as DisabledAt
            from skillshub.accounts where id = @account for share
            """, new { account }, transaction, cancellationToken: ct));
        return row is { DisabledAt: null } && stamp is not null
            && string.Equals(Of(row.PasswordHash, row.Roles, row.AgencyCode, row.MustChangePassword), stamp, StringComparison.Ordinal);
    }

    /// <summary>Row shape for Dapper (text[] arrives as an array, so no positional constructor).</summary>
    sealed class Row
    {
        public string PasswordHash { get; set; } = "";
        public string[] Roles { get; set; } = [];
        public string? AgencyCode { get; set; }
        public bool MustChangePassword { get; set; }
        public DateTime? DisabledAt { get; set; }
    }
}

/// <summary>The account changed while a sign-in was under way (<see cref="AccountStamp"/>): no session was stored.</summary>
public sealed class StaleSignInException() : Exception("The account changed while signing in: no session was stored.");
