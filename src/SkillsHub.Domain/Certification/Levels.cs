namespace SkillsHub.Domain.Certification;

/// <summary>
/// China's eight-level vocational skill ladder, lowest first (docs/certification.md, 人社部发〔2022〕14号).
/// Only Level 5 to Level 1 are evaluated by exam and carry a digit in the certificate number.
/// </summary>
public enum SkillLevel
{
    Apprentice = 0,
    Level5 = 1,
    Level4 = 2,
    Level3 = 3,
    Level2 = 4,
    Level1 = 5,
    SpecialGrade = 6,
    Chief = 7,
}

public static class SkillLevels
{
    /// <summary>The five levels obtained by evaluation, in exam order (junior first).</summary>
    public static IReadOnlyList<SkillLevel> Evaluated { get; } = [SkillLevel.Level5, SkillLevel.Level4, SkillLevel.Level3, SkillLevel.Level2, SkillLevel.Level1];

    public static bool IsEvaluated(this SkillLevel level) => level is >= SkillLevel.Level5 and <= SkillLevel.Level1;

    /// <summary>Special-grade and chief technician: appointed by an employer agency on file, never by exam.</summary>
    public static bool IsByAppointment(this SkillLevel level) => level is SkillLevel.SpecialGrade or SkillLevel.Chief;

    /// <summary>Level 2 and Level 1 also need a comprehensive review (defence).</summary>
    public static bool NeedsReview(this SkillLevel level) => level is SkillLevel.Level2 or SkillLevel.Level1;

    /// <summary>The certificate-number digit: 5 (junior) .. 1 (senior technician).</summary>
    public static int Digit(this SkillLevel level) => level.IsEvaluated()
        ? 6 - (int)level
        : throw new ArgumentOutOfRangeException(nameof(level), level, "Only Level 5 to Level 1 have a code digit.");

    public static SkillLevel FromDigit(int digit) => digit is >= 1 and <= 5
        ? (SkillLevel)(6 - digit)
        : throw new ArgumentOutOfRangeException(nameof(digit), digit, "A level digit is 1 to 5.");

    public static bool TryFromDigit(int digit, out SkillLevel level)
    {
        level = digit is >= 1 and <= 5 ? (SkillLevel)(6 - digit) : SkillLevel.Apprentice;
        return digit is >= 1 and <= 5;
    }

    /// <summary>The certificate's wording, e.g. "一级/高级技师".</summary>
    public static string ChineseName(this SkillLevel level) => level switch
    {
        SkillLevel.Apprentice => "学徒工",
        SkillLevel.Level5 => "五级/初级工",
        SkillLevel.Level4 => "四级/中级工",
        SkillLevel.Level3 => "三级/高级工",
        SkillLevel.Level2 => "二级/技师",
        SkillLevel.Level1 => "一级/高级技师",
        SkillLevel.SpecialGrade => "特级技师",
        SkillLevel.Chief => "首席技师",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Working English names (no official English exists; show the Chinese beside them).</summary>
    public static string EnglishName(this SkillLevel level) => level switch
    {
        SkillLevel.Apprentice => "Apprentice",
        SkillLevel.Level5 => "Level 5 / Junior worker",
        SkillLevel.Level4 => "Level 4 / Intermediate worker",
        SkillLevel.Level3 => "Level 3 / Senior worker",
        SkillLevel.Level2 => "Level 2 / Technician",
        SkillLevel.Level1 => "Level 1 / Senior technician",
        SkillLevel.SpecialGrade => "Special-grade technician",
        SkillLevel.Chief => "Chief technician",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
