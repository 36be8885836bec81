using Microsoft.AspNetCore.Identity;
using SkillsHub.Domain.Text;

namespace SkillsHub.Server.Security;

/// <summary>
/// ASP.NET Core Identity's PBKDF2 hasher over a password's <see cref="SignInText.PasswordForm"/> (NFKC; docs/security.md,
/// "Accounts"): a password typed on another keyboard or input method than the one it was set with still signs in. A hash
/// made before (of the password as typed) is still accepted, in any of the password's forms, and is redone in the new form
/// at that sign-in (<see cref="PasswordVerificationResult.SuccessRehashNeeded"/>, as after a change of iterations).
/// </summary>
public sealed class PasswordFormHasher<TUser>(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> options) : IPasswordHasher<TUser>
    where TUser : class
{
    readonly PasswordHasher<TUser> _inner = new(options);

    public string HashPassword(TUser user, string password) => _inner.HashPassword(user, SignInText.PasswordForm(password));

    public PasswordVerificationResult VerifyHashedPassword(TUser user, string hashedPassword, string providedPassword)
    {
        var forms = SignInText.PasswordForms(providedPassword);
        var result = _inner.VerifyHashedPassword(user, hashedPassword, forms[0]);
        if (result != PasswordVerificationResult.Failed)
        {
            return result;
        }
        // Only a password with characters that normalisation changes has other forms, so a wrong password costs one check
        // unless it has such characters; what that tells a caller is about the password they typed, not about the account.
        return forms.Skip(1).Any(form => _inner.VerifyHashedPassword(user, hashedPassword, form) != PasswordVerificationResult.Failed)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Failed;
    }
}
