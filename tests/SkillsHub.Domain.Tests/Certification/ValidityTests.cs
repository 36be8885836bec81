using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public class ValidityTests
{
    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void WithoutValidityYears_ACertificateNeverExpires()
    {
        Assert.Null(CertificateValidity.ValidUntil(new DateOnly(2000, 1, 1), null));
        Assert.Equal("valid", CertificateValidity.Status("valid", null, new DateOnly(2099, 1, 1)));
    }

    [Fact]
    public void ValidUntil_IsTheIssueDateTheGivenYearsOn_LeapDayToo()
    {
        Assert.Equal(new DateOnly(2025, 3, 1), CertificateValidity.ValidUntil(new DateOnly(2020, 3, 1), 5));
        Assert.Equal(new DateOnly(2021, 2, 28), CertificateValidity.ValidUntil(new DateOnly(2020, 2, 29), 1));
        // The credential's end: the end of the last day in China (00:00 UTC+8 of the day after).
        Assert.Equal(new DateTimeOffset(2022, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)), CertificateValidity.EndsAt(CertificateValidity.ValidUntil(new DateOnly(2020, 2, 29), 2)));
    }

    [Fact]
    public void AValidCertificate_ExpiresTheDayAfterItsLastDay()
    {
        var until = new DateOnly(2022, 3, 1);
        Assert.Equal("valid", CertificateValidity.Status("valid", until, until));
        Assert.Equal("expired", CertificateValidity.Status("valid", until, until.AddDays(1)));
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("suspended")]
    public void RevocationAndSuspension_WinOverExpiry(string stored) =>
        Assert.Equal(stored, CertificateValidity.Status(stored, new DateOnly(2000, 1, 1), new DateOnly(2030, 1, 1)));

    [Fact]
    public void TheClockDecidesToday_InChina()
    {
        // The last day ends at 00:00 UTC+8 of the next day, 16:00 UTC: the registry and the credential end together.
        var until = new DateOnly(2022, 3, 1);
        Assert.Equal("valid", CertificateValidity.Status("valid", until, new FixedClock(new DateTimeOffset(2022, 3, 1, 15, 59, 59, TimeSpan.Zero))));
        Assert.Equal("expired", CertificateValidity.Status("valid", until, new FixedClock(new DateTimeOffset(2022, 3, 1, 16, 0, 0, TimeSpan.Zero))));
        Assert.Equal(new DateTimeOffset(2022, 3, 1, 16, 0, 0, TimeSpan.Zero), CertificateValidity.EndsAt(until));
        Assert.Null(CertificateValidity.EndsAt(null));
        // Read back: the last day from the instant it ends; an end at another time of day stays on its own China day.
        Assert.Equal(until, CertificateValidity.LastDay(CertificateValidity.EndsAt(until)!.Value));
        Assert.Equal(new DateOnly(2022, 3, 2), CertificateValidity.LastDay(new DateTimeOffset(2022, 3, 1, 17, 45, 0, TimeSpan.Zero)));
    }
}
