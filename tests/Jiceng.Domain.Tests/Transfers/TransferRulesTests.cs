using Jiceng.Domain.Alerts;
using Jiceng.Domain.Transfers;

namespace Jiceng.Domain.Tests.Transfers;

public class TransferRulesTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s);

    [Theory]
    [InlineData("2025-11-30", 3, "2026-02-28")]
    [InlineData("2027-11-30", 3, "2028-02-29")]
    [InlineData("2026-01-31", 1, "2026-02-28")]
    [InlineData("2026-08-31", 3, "2026-11-30")]
    [InlineData("2026-03-15", 3, "2026-06-15")]
    [InlineData("2026-12-31", 6, "2027-06-30")]
    public void Letter_validity_keeps_the_day_or_falls_back_to_the_month_end(string issued, int months, string expected) =>
        TransferRules.ValidUntil(D(issued), months).ShouldBe(D(expected));

    [Fact]
    public void A_letter_is_valid_through_its_last_day_and_expired_the_day_after()
    {
        var until = D("2026-02-28");
        TransferRules.IsOverdue(TransferStatus.OutApproved, until, D("2026-02-28")).ShouldBeFalse();
        TransferRules.IsOverdue(TransferStatus.InApproved, until, D("2026-03-01")).ShouldBeTrue();
        TransferRules.EffectiveStatus(TransferStatus.InApproved, until, D("2026-03-01")).ShouldBe(TransferStatus.Expired);
        TransferRules.EffectiveStatus(TransferStatus.InApproved, until, D("2026-02-01")).ShouldBe(TransferStatus.InApproved);
        // Before the letter is issued, or after it is received, there is nothing to expire.
        TransferRules.IsOverdue(TransferStatus.Requested, null, D("2030-01-01")).ShouldBeFalse();
        TransferRules.EffectiveStatus(TransferStatus.Completed, until, D("2030-01-01")).ShouldBe(TransferStatus.Completed);
        TransferRules.EffectiveStatus(TransferStatus.Rejected, until, D("2030-01-01")).ShouldBe(TransferStatus.Rejected);
    }

    [Fact]
    public void Expiry_alert_warns_in_the_last_seven_days_and_is_critical_after()
    {
        var until = D("2026-05-20");
        TransferRules.ExpiryAlert(TransferStatus.OutApproved, until, D("2026-05-12")).ShouldBeNull();
        TransferRules.ExpiryAlert(TransferStatus.OutApproved, until, D("2026-05-13")).ShouldBe(AlertSeverity.Warning);
        TransferRules.ExpiryAlert(TransferStatus.InApproved, until, D("2026-05-20")).ShouldBe(AlertSeverity.Warning);
        TransferRules.ExpiryAlert(TransferStatus.InApproved, until, D("2026-05-21")).ShouldBe(AlertSeverity.Critical);
        TransferRules.ExpiryAlert(TransferStatus.Expired, until, D("2026-05-01")).ShouldBe(AlertSeverity.Critical);
        TransferRules.ExpiryAlert(TransferStatus.Completed, until, D("2026-05-21")).ShouldBeNull();
        TransferRules.ExpiryAlert(TransferStatus.Cancelled, until, D("2026-05-21")).ShouldBeNull();
        TransferRules.ExpiryAlert(TransferStatus.Requested, null, D("2026-05-21")).ShouldBeNull();
    }

    [Fact]
    public void The_chain_runs_out_side_then_in_side_and_a_letter_to_outside_skips_the_in_side()
    {
        TransferRules.NextSide(TransferKind.Internal, TransferStatus.Requested).ShouldBe(TransferSide.Out);
        TransferRules.NextSide(TransferKind.Internal, TransferStatus.OutApproved).ShouldBe(TransferSide.In);
        TransferRules.NextSide(TransferKind.Internal, TransferStatus.InApproved).ShouldBe(TransferSide.In);
        TransferRules.NextSide(TransferKind.Internal, TransferStatus.Completed).ShouldBe(TransferSide.None);
        TransferRules.AfterApproval(TransferKind.Internal, TransferStatus.Requested).ShouldBe(TransferStatus.OutApproved);
        TransferRules.AfterApproval(TransferKind.Internal, TransferStatus.OutApproved).ShouldBe(TransferStatus.InApproved);
        TransferRules.AfterApproval(TransferKind.Internal, TransferStatus.InApproved).ShouldBeNull();
        TransferRules.AwaitsReceipt(TransferKind.Internal, TransferStatus.OutApproved).ShouldBeFalse();
        TransferRules.AwaitsReceipt(TransferKind.Internal, TransferStatus.InApproved).ShouldBeTrue();

        TransferRules.NextSide(TransferKind.ToExternal, TransferStatus.OutApproved).ShouldBe(TransferSide.Out);
        TransferRules.AfterApproval(TransferKind.ToExternal, TransferStatus.OutApproved).ShouldBeNull();
        TransferRules.AwaitsReceipt(TransferKind.ToExternal, TransferStatus.OutApproved).ShouldBeTrue();

        TransferRules.NextSide(TransferKind.FromExternal, TransferStatus.OutApproved).ShouldBe(TransferSide.In);
        TransferRules.RequestingSide(TransferKind.FromExternal).ShouldBe(TransferSide.In);
        TransferRules.RequestingSide(TransferKind.Internal).ShouldBe(TransferSide.Out);
    }

    [Fact]
    public void An_expired_letter_stays_unresolved_until_withdrawn()
    {
        TransferRules.IsOpen(TransferStatus.Expired).ShouldBeFalse();
        TransferRules.IsUnresolved(TransferStatus.Expired).ShouldBeTrue();
        TransferRules.IsUnresolved(TransferStatus.Requested).ShouldBeTrue();
        TransferRules.IsUnresolved(TransferStatus.Cancelled).ShouldBeFalse();
        TransferRules.IsUnresolved(TransferStatus.Rejected).ShouldBeFalse();
        TransferRules.IsUnresolved(TransferStatus.Completed).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2026-10", "2026-10-01")]
    [InlineData("2026-3", "2026-03-01")]
    [InlineData(" 2026-10-17 ", "2026-10-01")]
    [InlineData("2026/10", null)]
    [InlineData("2026-13", null)]
    [InlineData("十月", null)]
    [InlineData("", null)]
    public void Paid_through_is_a_month(string text, string? expected) =>
        TransferRules.ParsePaidThrough(text).ShouldBe(expected is null ? null : D(expected));

    [Fact]
    public void Paid_through_may_be_ahead_by_at_most_a_year()
    {
        var today = D("2026-11-23");
        TransferRules.CheckPaidThrough(D("2027-11-01"), today).ShouldBeNull();
        TransferRules.CheckPaidThrough(D("2027-12-01"), today).ShouldBe("党费交至年月不能超过本月之后12个月");
        TransferRules.CheckPaidThrough(D("2020-01-01"), today).ShouldBeNull();
    }

    [Fact]
    public void Letter_numbers_carry_the_year_and_differ_per_transfer()
    {
        var a = TransferRules.LetterNumber(D("2026-11-23"), Guid.CreateVersion7());
        var b = TransferRules.LetterNumber(D("2026-11-23"), Guid.CreateVersion7());
        a.ShouldStartWith("2026-");
        a.Length.ShouldBe(15);
        a.ShouldNotBe(b);
    }
}
