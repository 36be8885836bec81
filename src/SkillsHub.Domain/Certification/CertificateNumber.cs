using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SkillsHub.Domain.Certification;

/// <summary>
/// The 22-character certificate number (人社鉴发〔2019〕2号): agency type Y/S + 4-digit agency code +
/// 2-digit province + 6-digit site serial + 2-digit issue year + level digit (5..1) + 6-digit serial,
/// e.g. <c>Y000123000001195000001</c>. Serials never repeat within (agency, site, year, level).
/// </summary>
public readonly record struct CertificateNumber(AgencyKey Agency, int Year, SkillLevel Level, int Serial)
{
    public const int Length = 22;
    public const int MaxSerial = 999_999;

    public override string ToString() => Format(Agency, Year, Level, Serial);

    public static string Format(AgencyKey agency, int year, SkillLevel level, int serial)
    {
        if (year is < 0 or > 99)
        {
            year %= 100;
        }
        if (serial is < 1 or > MaxSerial)
        {
            throw new ArgumentOutOfRangeException(nameof(serial), serial, "A certificate serial is 000001 to 999999.");
        }
        return string.Create(Length, (agency, year, digit: level.Digit(), serial), static (span, s) =>
        {
            span[0] = s.agency.Type == AgencyType.Y ? 'Y' : 'S';
            s.agency.AgencyCode.AsSpan().CopyTo(span[1..]);
            s.agency.Province.AsSpan().CopyTo(span[5..]);
            s.agency.Site.AsSpan().CopyTo(span[7..]);
            s.year.TryFormat(span[13..15], out _, "00", CultureInfo.InvariantCulture);
            span[15] = (char)('0' + s.digit);
            s.serial.TryFormat(span[16..], out _, "000000", CultureInfo.InvariantCulture);
        });
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out CertificateNumber number)
    {
        number = default;
        var s = text?.Trim().ToUpperInvariant();
        if (s is not { Length: Length } || !AgencyKey.TryParse(s[..AgencyKey.Length], out var agency) || !AgencyKey.AllDigits(s.AsSpan(13)))
        {
            return false;
        }
        if (!SkillLevels.TryFromDigit(s[15] - '0', out var level))
        {
            return false;
        }
        var serial = int.Parse(s.AsSpan(16), CultureInfo.InvariantCulture);
        if (serial == 0)
        {
            return false;
        }
        number = new CertificateNumber(agency, int.Parse(s.AsSpan(13, 2), CultureInfo.InvariantCulture), level, serial);
        return true;
    }

    public static CertificateNumber Parse(string text) =>
        TryParse(text, out var number) ? number : throw new FormatException($"'{text}' is not a 22-character certificate number.");
}

/// <summary>
/// ID numbers are never shown in full anywhere public: all but the last 4 characters are masked, and those 4 are
/// shown only to a caller who has proved they know the holder (<see cref="HolderPrivacy"/>).
/// </summary>
public static class IdNumbers
{
    /// <summary>
    /// The ID with all but its last 4 characters masked, and never more than half of it shown: a 5-character passport
    /// number kept four of its five in sight (found by an outside tester), now two. Four characters or fewer are all masked.
    /// </summary>
    public static string Mask(string idNumber)
    {
        var shown = idNumber.Length <= 4 ? 0 : Math.Min(4, idNumber.Length / 2);
        return new string('*', idNumber.Length - shown) + idNumber[^shown..];
    }

    public static readonly IReadOnlySet<string> Types = new HashSet<string> { "resident", "passport", "hk-macao", "taiwan", "foreign-pr", "other" };

    /// <summary>
    /// An ID number as typed, in the one form it is stored and compared in (docs/certification.md, "Data and identity"):
    /// full-width letters and digits as plain ones (NFKC, as a Chinese input method types them), upper case, without spaces
    /// or the brackets a Hong Kong or Macao card prints around its check digit (<c>H1234567(8)</c> is <c>H12345678</c>).
    /// The same rule wherever a number comes in: a candidates or results file, an appointment, a promotion, the holder
    /// search (found by an outside tester: a full-width number was found by the search but refused by the import).
    /// </summary>
    public static string Plain(string? text) =>
        string.Concat((text ?? "").Normalize(System.Text.NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c is not ('(' or ')'))).ToUpperInvariant();

    /// <summary>The ID types as a message lists them: "foreign-pr, hk-macao, ...".</summary>
    public static readonly string TypeNames = string.Join(", ", Types.Order());

    /// <summary>A 18-character resident identity number with a valid ISO 7064 MOD 11-2 check character.</summary>
    public static bool IsValidResidentId(string id)
    {
        if (id.Length != 18 || !AgencyKey.AllDigits(id.AsSpan(0, 17)))
        {
            return false;
        }
        ReadOnlySpan<int> weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * weights[i];
        }
        return char.ToUpperInvariant(id[17]) == "10X98765432"[sum % 11];
    }

    /// <summary>
    /// True when a resident identity number's region and birth date could be real (GB 11643): its first two digits
    /// name a province-level region, or a residence permit's 83 (<see cref="Regions.IsResidentIdRegion"/>), and digits 7-14 a calendar date (YYYYMMDD) from 1900 on, not after
    /// <paramref name="today"/> (China time) when given. A valid check character
    /// alone lets through a number no card carries, such as a birth month 13.
    /// </summary>
    public static bool HasPossibleRegionAndBirthDate(string id, DateOnly? today = null) =>
        id.Length == 18 && AgencyKey.AllDigits(id.AsSpan(0, 14)) && Regions.IsResidentIdRegion(id[..2])
        && TryBirthDigits(id, out var born) && born.Year >= 1900 && (today is null || born <= today);

    /// <summary>The birth date a resident identity number carries (digits 7-14), or null for other types or a malformed number.</summary>
    public static DateOnly? BirthDate(string? type, string? number) =>
        type == "resident" && number is not null && HasPossibleRegionAndBirthDate(number) && TryBirthDigits(number, out var born) ? born : null;

    /// <summary>Digits 7-14 of an 18-character resident identity number read as a date (YYYYMMDD).</summary>
    static bool TryBirthDigits(string id, out DateOnly born) =>
        DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out born);

    /// <summary>Why an ID number is not acceptable for its type, or null.</summary>
    public static string? Problem(string type, string number, DateOnly? today = null) => FaultOf(type, number, today)?.Message;

    /// <summary>Why an ID number is not acceptable, with its code for the pages (docs/pages.md, "Languages"), or null.</summary>
    public static Fault? FaultOf(string type, string number, DateOnly? today = null)
    {
        if (!Types.Contains(type))
        {
            return new(RowCodes.IdType, $"ID type must be one of {string.Join(", ", Types)}", RowCodes.Args(("types", string.Join(", ", Types))));
        }
        if (number.Length is < 5 or > 32 || number.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            return new(RowCodes.IdNumberFormat, "ID number must be 5-32 letters or digits");
        }
        if (type != "resident")
        {
            return null;
        }
        if (!IsValidResidentId(number))
        {
            return new(RowCodes.ResidentIdCheckDigit, "not a valid 18-character resident ID number (check digit)");
        }
        return HasPossibleRegionAndBirthDate(number, today) ? null : new(RowCodes.ResidentIdImpossible, "not a valid resident ID number: no region has its first two digits, or digits 7-14 are not a birth date (from 1900, not after today)");
    }
}
