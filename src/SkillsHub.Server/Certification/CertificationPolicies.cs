namespace SkillsHub.Server.Certification;

public static class CertificationPolicies
{
    /// <summary>An agency officer bound to one agency by the skillshub:agency claim.</summary>
    public const string AgencyOfficer = "AgencyOfficer";
}
