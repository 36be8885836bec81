namespace SkillsHub.Server.Certification;

/// <summary>
/// <c>Certification:PromotionMembers</c>: the members whose competitors a promotion may certify (docs/certification.md),
/// default <c>CN</c>; an array or one comma-separated value of member codes, two letters as the members' reference data
/// has them (skillshub.members, <c>^[A-Z]{2}$</c>; lower case is taken as upper). Checked before the node's database is
/// touched (at the start, docs/deployment.md "Start checks"): an entry that is no code matched no competitor, without a
/// word (found by an outside tester: <c>@@</c>).
/// </summary>
public static class PromotionMembers
{
    public static IReadOnlyList<string> Read(IConfiguration configuration)
    {
        const string Setting = "Certification:PromotionMembers";
        if (!configuration.GetSection(Setting).Exists())
        {
            return ["CN"];
        }
        return ListSetting.Values(configuration, Setting).Select(code => code.Length == 2 && code.All(char.IsAsciiLetter)
            ? code.ToUpperInvariant()
            : throw new StartupException($"{Setting} must be member codes of two letters, such as CN, separated by ',' (not '{code}').")).ToArray();
    }
}
