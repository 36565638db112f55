using Jiceng.Domain.Dues;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Tests.Dues;

public class DuesCorrectionsTests
{
    private static readonly DateOnly Jan = new(2026, 1, 1);
    private static readonly long[] ThreeMonths = [3000, 3000, 7500];

    [Fact]
    public void A_full_refund_takes_every_held_month_and_the_voluntary_amount()
    {
        var (plan, error) = DuesRefundRule.Plan(DuesPaymentStatus.Paid, Jan, ThreeMonths, 0, 100000, null, Jan.AddMonths(2));
        error.ShouldBeNull();
        plan!.Full.ShouldBeTrue();
        (plan.FromMonth, plan.DuesFen, plan.VoluntaryFen, plan.TotalFen).ShouldBe((Jan, 13500L, 100000L, 113500L));
    }

    [Fact]
    public void A_partial_refund_takes_the_last_months_and_keeps_the_voluntary_amount()
    {
        var (plan, _) = DuesRefundRule.Plan(DuesPaymentStatus.Paid, Jan, ThreeMonths, 0, 100000, 1, Jan.AddMonths(2));
        (plan!.Full, plan.FromMonth, plan.DuesFen, plan.VoluntaryFen).ShouldBe((false, Jan.AddMonths(2), 7500L, 0L));
        // After that one, the two left: refunding both is the full refund.
        var (rest, _) = DuesRefundRule.Plan(DuesPaymentStatus.Paid, Jan, ThreeMonths, 1, 100000, 2, Jan.AddMonths(1));
        (rest!.Full, rest.FromMonth, rest.DuesFen, rest.VoluntaryFen).ShouldBe((true, Jan, 6000L, 100000L));
    }

    [Theory]
    [InlineData(3, null)]
    [InlineData(4, "退还月数不能超过该笔交纳尚未退还的3个月")]
    [InlineData(0, "退还月数至少为1个月")]
    public void Refunding_more_months_than_held_is_refused(int months, string? error) =>
        DuesRefundRule.Plan(DuesPaymentStatus.Paid, Jan, ThreeMonths, 0, 0, months, Jan.AddMonths(2)).Error.ShouldBe(error);

    [Fact]
    public void A_refunded_pending_or_later_followed_payment_is_refused()
    {
        DuesRefundRule.Plan(DuesPaymentStatus.Refunded, Jan, ThreeMonths, 3, 0, null, null).Error.ShouldBe("该笔交纳已全部退还，不能再次退还");
        DuesRefundRule.Plan(DuesPaymentStatus.Pending, Jan, ThreeMonths, 0, 0, null, null).Error.ShouldBe("只有已入账的交纳可以退还");
        DuesRefundRule.Plan(DuesPaymentStatus.Paid, Jan, ThreeMonths, 0, 0, 1, Jan.AddMonths(3)).Error.ShouldBe("该笔交纳之后还有已交纳的月份（党费交至2026年4月），请先退还之后的交纳");
        // A partial refund moved the held end back: the next refund is checked against that end.
        DuesRefundRule.Plan(DuesPaymentStatus.Paid, Jan, ThreeMonths, 1, 0, 1, Jan.AddMonths(1)).Error.ShouldBeNull();
    }

    [Fact]
    public void A_revocation_ends_the_adjustment_the_month_before()
    {
        DuesAdjustmentRevocation.EffectiveTo(null, Jan.AddMonths(3)).ShouldBe(Jan.AddMonths(2));
        DuesAdjustmentRevocation.EffectiveTo(Jan.AddMonths(1), Jan.AddMonths(3)).ShouldBe(Jan.AddMonths(1));
        DuesAdjustmentRevocation.EffectiveTo(Jan.AddMonths(5), null).ShouldBe(Jan.AddMonths(5));
        DuesAdjustmentRevocation.Applies(Jan, null, Jan).ShouldBeFalse();
        DuesAdjustmentRevocation.Applies(Jan, null, Jan.AddMonths(1)).ShouldBeTrue();
        DuesAdjustmentRevocation.Applies(Jan, null, null).ShouldBeTrue();
    }

    [Fact]
    public void A_revocation_starts_within_the_adjustment_and_after_the_paid_through_month()
    {
        var to = Jan.AddMonths(5);
        DuesAdjustmentRevocation.Check(Jan, to, null, Jan.AddMonths(-1), null).ShouldBe("撤销月份不能早于减免起始月份2026年1月");
        DuesAdjustmentRevocation.Check(Jan, to, null, Jan, null).ShouldBeNull();
        DuesAdjustmentRevocation.Check(Jan, to, null, to, null).ShouldBeNull();
        DuesAdjustmentRevocation.Check(Jan, to, null, to.AddMonths(1), null).ShouldBe("减免到2026年6月已结束，无需撤销");
        DuesAdjustmentRevocation.Check(Jan, to, null, Jan.AddMonths(2), Jan.AddMonths(2)).ShouldBe("党费已交至2026年3月（按减免后的金额），撤销应从2026年4月或以后开始");
        DuesAdjustmentRevocation.Check(Jan, to, null, Jan.AddMonths(3), Jan.AddMonths(2)).ShouldBeNull();
        DuesAdjustmentRevocation.Check(Jan, null, Jan.AddMonths(2), Jan.AddMonths(3), null).ShouldBe("该减免已于2026年3月起撤销");
    }
}

public class DuesPaidAfterEndRuleTests
{
    private static readonly Guid Member = Guid.NewGuid(), Org = Guid.NewGuid();
    private static readonly DateOnly End = new(2026, 6, 1);

    private static AlertFinding? Evaluate(MemberStatus status, params (DateOnly, long)[] paid) =>
        DuesPaidAfterEndRule.Evaluate(Member, "张三", Org, status, End, paid);

    [Fact]
    public void A_month_paid_before_the_end_month_is_not_flagged_and_the_end_month_itself_is()
    {
        Evaluate(MemberStatus.Suspended, (End.AddMonths(-1), 3000)).ShouldBeNull();
        var f = Evaluate(MemberStatus.Suspended, (End.AddMonths(-1), 3000), (End, 3000))!;
        (f.RuleCode, f.OrganizationId, f.Severity, f.SubjectId).ShouldBe((DuesPaidAfterEndRule.Code, Org, AlertSeverity.Info, Member.ToString()));
        f.Message.ShouldContain("张三（停止党籍）自2026年6月起停止计收党费，但2026年6月共1个月已交党费30.00元");
    }

    [Fact]
    public void Several_months_in_any_order_are_named_from_the_first_to_the_last_with_their_sum()
    {
        var f = Evaluate(MemberStatus.Deceased, (End.AddMonths(5), 7500), (End.AddMonths(1), 3000), (End, 3000))!;
        f.Message.ShouldContain("张三（已故）自2026年6月起停止计收党费，但2026年6月至2026年11月共3个月已交党费135.00元");
    }

    [Fact]
    public void Months_paid_at_zero_are_not_flagged_and_do_not_count() =>
        Evaluate(MemberStatus.Suspended, (End, 0), (End.AddMonths(1), 0)).ShouldBeNull();

    [Fact]
    public void A_zero_month_among_paid_ones_is_left_out_of_the_count()
    {
        var f = Evaluate(MemberStatus.Suspended, (End, 0), (End.AddMonths(1), 3000))!;
        f.Message.ShouldContain("但2026年7月共1个月已交党费30.00元");
    }

    [Theory]
    [InlineData(MemberStatus.Normal)]
    [InlineData(MemberStatus.Mobile)]
    [InlineData(MemberStatus.Abroad)]
    [InlineData(MemberStatus.TransferredOut)]
    public void Current_members_and_members_transferred_out_are_not_flagged(MemberStatus status) =>
        Evaluate(status, (End, 3000), (End.AddMonths(1), 3000)).ShouldBeNull();

    [Theory]
    [InlineData(MemberStatus.Suspended)]
    [InlineData(MemberStatus.Deceased)]
    [InlineData(MemberStatus.LeftParty)]
    [InlineData(MemberStatus.ProbationCancelled)]
    public void Every_status_whose_dues_simply_end_is_flagged(MemberStatus status) =>
        Evaluate(status, (End.AddMonths(2), 3000)).ShouldNotBeNull();
}
