namespace SkillsHub.Domain.Certification;

/// <summary>
/// Province-level region codes of GB/T 2260: the first two digits of a resident identity number and the province of an
/// agency's number prefix (docs/certification.md, "Data and identity"). One list for both, so an agency cannot be filed
/// in a province no ID card names.
/// </summary>
public static class Regions
{
    static readonly HashSet<int> Provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82];

    /// <summary>The codes as people read them: "11-15, 21-23, ...".</summary>
    public const string ProvinceCodes = "11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82";

    public static bool IsProvince(int code) => Provinces.Contains(code);

    /// <summary>
    /// The first two digits a resident-type identity number may carry: a province-level region, or 83, which begins the
    /// residence permit of a Taiwan resident (港澳台居民居住证, 2018: 810000, 820000 and 830000 before the birth date; the
    /// first two are also Hong Kong's and Macao's region codes). Found by an outside tester: Hong Kong's and Macao's permits
    /// were taken as resident numbers and Taiwan's refused. Not an agency's province.
    /// </summary>
    public static bool IsResidentIdRegion(string code) => IsProvince(code) || code == "83";

    /// <summary>Two ASCII digits naming a province-level region.</summary>
    public static bool IsProvince(string? code) =>
        code is { Length: 2 } && AgencyKey.AllDigits(code) && IsProvince((code[0] - '0') * 10 + (code[1] - '0'));
}
