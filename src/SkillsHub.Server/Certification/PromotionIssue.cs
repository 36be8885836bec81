using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>What issuing a promotion's certificate came to; the API turns each kind into its status code.</summary>
public abstract record PromotionIssue
{
    public sealed record Issued(string Number, bool Created) : PromotionIssue;
    public sealed record NotFound : PromotionIssue;
    public sealed record AgencyMissing : PromotionIssue;

    /// <summary>The competitor's member is not one the national rule covers (Certification:PromotionMembers).</summary>
    public sealed record MemberNotCovered(string MemberCode) : PromotionIssue;

    public sealed record OutsideScope(string Occupation, SkillLevel Level, string Refusal) : PromotionIssue;

    /// <summary>The holder already has the promoted level (or more) in the occupation.</summary>
    public sealed record AlreadyHeld(SkillLevel Held) : PromotionIssue;

    public sealed record NameMismatch : PromotionIssue;

    /// <summary>No name was given and this agency knows the ID's person under another name than the competitor's.</summary>
    public sealed record NotTheCompetitor : PromotionIssue;

    /// <summary>The published standings or the rule no longer justify the promotion (docs/certification.md, "Withdrawn promotions").</summary>
    public sealed record Withdrawn(string? Reason) : PromotionIssue;

    /// <summary>The resident ID carries a birth date after the competition began (found by an outside tester).</summary>
    public sealed record BornAfterCompetition(DateOnly Born, DateOnly Began) : PromotionIssue;

    /// <summary>Certified already, for another holder or by another agency: never a second certificate.</summary>
    public sealed record CertifiedOtherwise(string Detail, string? Number) : PromotionIssue;
}
