namespace SkillsHub.Domain.Certification;

/// <summary>One scope entry as filed: an occupation code and its levels (certificate digits 5..1, 6 special-grade, 7 chief).</summary>
public sealed record ScopeFiling(string? Occupation, IReadOnlyList<int>? Levels);

/// <summary>An agency as filed, once every part is valid: its key and its scope (occupation x level).</summary>
public sealed record AgencyFiled(AgencyKey Key, string Name, IReadOnlyList<(string Occupation, SkillLevel Level)> Scope);

/// <summary>
/// Filing an agency (docs/certification.md, "Data and identity"): the parts of its 13-character number prefix, its name
/// and its scope, each fault named by its JSON field (<c>province</c>, <c>scope[0].levels</c>, ...). An agency is filed
/// for something: an empty scope, or an occupation filed with no level, would be an agency that may evaluate nothing,
/// and an entry without levels was dropped without a word (found by an outside tester). Its province is a province-level
/// region of GB/T 2260, as a resident ID's first two digits are (<see cref="Regions"/>). Whether each occupation is in
/// the catalogue is the store's to say.
/// </summary>
public static class AgencyFiling
{
    public static (AgencyFiled? Filed, IReadOnlyList<(string Field, string Message)> Faults) Read(
        string? type, string? agencyCode, string? province, string? site, string? name, IReadOnlyList<ScopeFiling?>? scope)
    {
        var faults = new List<(string, string)>();
        var t = type?.Trim().ToUpperInvariant();
        if (t is not ("Y" or "S"))
        {
            faults.Add(("type", "The agency type is Y (an employer) or S (a social evaluation organisation)."));
        }
        var code = agencyCode?.Trim() ?? "";
        if (code.Length != 4 || !AgencyKey.AllDigits(code))
        {
            faults.Add(("agencyCode", "The agency code is 4 digits (0000 when the agency is filed with a province)."));
        }
        var region = province?.Trim() ?? "";
        if (!Regions.IsProvince(region))
        {
            faults.Add(("province", $"The province is a 2-digit province-level region code of GB/T 2260: {Regions.ProvinceCodes}."));
        }
        var serial = site?.Trim() ?? "";
        if (serial.Length != 6 || !AgencyKey.AllDigits(serial))
        {
            faults.Add(("site", "The site serial is 6 digits."));
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            faults.Add(("name", "The agency's name is required."));
        }
        var entries = new List<(string, SkillLevel)>();
        if (scope is not { Count: > 0 })
        {
            faults.Add(("scope", "File at least one occupation with its levels: an agency with an empty scope may evaluate nothing."));
        }
        for (var i = 0; i < (scope?.Count ?? 0); i++)
        {
            if (scope![i] is not { } entry)
            {
                faults.Add(($"scope[{i}]", "A scope entry is {occupation, levels}."));
                continue;
            }
            var occupation = entry.Occupation?.Trim() ?? "";
            if (!OccupationCode.TryParse(occupation, out _))
            {
                faults.Add(($"scope[{i}].occupation", "An occupation code D-DD-DD-DD (major group 1 to 8, e.g. 6-18-02-04) is required."));
            }
            if (entry.Levels is not { Count: > 0 } levels)
            {
                faults.Add(($"scope[{i}].levels", "List the levels filed for this occupation: 5..1, or 6 (special-grade) / 7 (chief) for employer agencies."));
                continue;
            }
            for (var j = 0; j < levels.Count; j++)
            {
                if (LevelOf(levels[j], t) is { } level)
                {
                    entries.Add((occupation, level));
                }
                else
                {
                    faults.Add(($"scope[{i}].levels[{j}]", $"Level {levels[j]}: use 5..1, or 6 (special-grade) / 7 (chief) for employer (Y) agencies."));
                }
            }
        }
        if (faults.Count > 0)
        {
            return (null, faults);
        }
        var key = new AgencyKey(t == "Y" ? AgencyType.Y : AgencyType.S, code, region, serial);
        return (new AgencyFiled(key, name!.Trim(), entries.Distinct().ToList()), faults);
    }

    /// <summary>A filed level number: 5..1 for any agency, 6 and 7 (appointed levels) for an employer agency (or an agency whose type is itself at fault).</summary>
    static SkillLevel? LevelOf(int number, string? type) =>
        SkillLevels.TryFromDigit(number, out var evaluated) ? evaluated
        : number is 6 or 7 && type is not "S" ? (SkillLevel)number
        : null;
}
