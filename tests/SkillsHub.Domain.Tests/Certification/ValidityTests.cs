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
        var at = new DateTimeOffset(2020, 2, 29, 17, 45, 10, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2022, 2, 28, 17, 45, 10, TimeSpan.Zero), CertificateValidity.ValidUntil(at, 2));
        Assert.Null(CertificateValidity.ValidUntil(at, null));
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
    public void TheClockDecidesToday_InUtc()
    {
        var until = new DateOnly(2022, 3, 1);
        Assert.Equal("valid", CertificateValidity.Status("valid", until, new FixedClock(new DateTimeOffset(2022, 3, 1, 23, 59, 0, TimeSpan.Zero))));
        Assert.Equal("expired", CertificateValidity.Status("valid", until, new FixedClock(new DateTimeOffset(2022, 3, 2, 0, 0, 1, TimeSpan.Zero))));
    }
}
