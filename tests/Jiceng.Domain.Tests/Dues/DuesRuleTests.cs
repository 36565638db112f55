using System.Globalization;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Tests.Dues;

public class DuesRuleTests
{
    private static decimal M(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);
    private static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0.01", "0.005", "0.00")]
    [InlineData("100", "0.005", "0.50")]
    [InlineData("2999.99", "0.005", "15.00")]
    [InlineData("3000.00", "0.005", "15.00")]
    [InlineData("3000.01", "0.01", "30.00")]
    [InlineData("4999.99", "0.01", "50.00")]
    [InlineData("5000.00", "0.01", "50.00")]
    [InlineData("5000.01", "0.015", "75.00")]
    [InlineData("9999.99", "0.015", "150.00")]
    [InlineData("10000.00", "0.015", "150.00")]
    [InlineData("10000.01", "0.02", "200.00")]
    [InlineData("25000", "0.02", "500.00")]
    public void Employed_members_pay_by_the_bracket_of_their_after_tax_pay(string pay, string rate, string amount)
    {
        var q = DuesRule.Quote(DuesCategory.Employed, M(pay));
        q.Rate.ShouldBe(M(rate));
        q.MonthlyAmount.ShouldBe(M(amount));
        q.Rule.ShouldContain(DuesRule.Source);
    }

    [Theory]
    [InlineData("1500", "0.005", "7.50")]
    [InlineData("4999.99", "0.005", "25.00")]
    [InlineData("5000.00", "0.005", "25.00")]
    [InlineData("5000.01", "0.01", "50.00")]
    [InlineData("12000", "0.01", "120.00")]
    public void Retirees_pay_by_the_bracket_of_their_pension(string pension, string rate, string amount)
    {
        var q = DuesRule.Quote(DuesCategory.Retired, M(pension));
        q.Rate.ShouldBe(M(rate));
        q.MonthlyAmount.ShouldBe(M(amount));
    }

    [Fact]
    public void The_rule_text_names_the_bracket()
    {
        DuesRule.Quote(DuesCategory.Employed, 3000.00m).Rule.ShouldStartWith("在职党员每月税后工资收入3000元及以下，按0.5%交纳");
        DuesRule.Quote(DuesCategory.Employed, 3000.01m).Rule.ShouldStartWith("在职党员每月税后工资收入3000元以上至5000元，按1%交纳");
        DuesRule.Quote(DuesCategory.Employed, 7000m).Rule.ShouldStartWith("在职党员每月税后工资收入5000元以上至10000元，按1.5%交纳");
        DuesRule.Quote(DuesCategory.Employed, 10000.01m).Rule.ShouldStartWith("在职党员每月税后工资收入10000元以上，按2%交纳");
        DuesRule.Quote(DuesCategory.Retired, 5000.01m).Rule.ShouldStartWith("离退休党员每月离退休费5000元以上，按1%交纳");
    }

    [Theory]
    [InlineData(DuesCategory.Student)]
    [InlineData(DuesCategory.Unemployed)]
    [InlineData(DuesCategory.Relief)]
    public void Students_unemployed_and_relief_pay_twenty_fen_whatever_the_base(DuesCategory category)
    {
        var q = DuesRule.Quote(category, null);
        q.MonthlyAmount.ShouldBe(0.20m);
        q.Rate.ShouldBeNull();
        DuesRule.Quote(category, 8000m).MonthlyAmount.ShouldBe(0.20m);
    }

    [Fact]
    public void Farmers_pay_the_local_amount_between_twenty_fen_and_one_yuan()
    {
        DuesRule.Quote(DuesCategory.Farmer, null).MonthlyAmount.ShouldBe(0.20m);
        DuesRule.Quote(DuesCategory.Farmer, null, 0.50m).MonthlyAmount.ShouldBe(0.50m);
        DuesRule.Quote(DuesCategory.Farmer, null, 1.00m).MonthlyAmount.ShouldBe(1.00m);
        Should.Throw<ArgumentOutOfRangeException>(() => DuesRule.Quote(DuesCategory.Farmer, null, 1.01m));
    }

    [Theory]
    [InlineData("3333.33", "0.01", "33.33")]   // 33.3333 → 33.33
    [InlineData("3000.50", "0.01", "30.01")]   // 30.005 → half away from zero → 30.01
    [InlineData("1001", "0.005", "5.01")]      // 5.005 → 5.01 (banker's rounding would give 5.00)
    [InlineData("1000.99", "0.005", "5.00")]   // 5.00495 → 5.00
    [InlineData("6666.67", "0.015", "100.00")] // 100.00005 → 100.00
    public void Amounts_round_half_away_from_zero_to_the_fen(string pay, string rate, string amount)
    {
        var q = DuesRule.Quote(DuesCategory.Employed, M(pay));
        q.Rate.ShouldBe(M(rate));
        q.MonthlyAmount.ShouldBe(M(amount));
        DuesRule.RoundToFen(0.005m).ShouldBe(0.01m);
        DuesRule.RoundToFen(0.0049m).ShouldBe(0.00m);
    }

    [Fact]
    public void A_base_must_be_positive_and_given_to_the_fen()
    {
        DuesRule.CheckBase(DuesCategory.Employed, null).ShouldBe("请填写每月税后工资收入（党费计算基数）");
        DuesRule.CheckBase(DuesCategory.Retired, null).ShouldBe("请填写每月离退休费（党费计算基数）");
        DuesRule.CheckBase(DuesCategory.Employed, 0m).ShouldBe("党费计算基数须大于0");
        DuesRule.CheckBase(DuesCategory.Employed, -5m).ShouldBe("党费计算基数须大于0");
        DuesRule.CheckBase(DuesCategory.Employed, 3000.001m).ShouldBe("党费计算基数最多保留两位小数（到分）");
        DuesRule.CheckBase(DuesCategory.Employed, 3000.01m).ShouldBeNull();
        DuesRule.CheckBase(DuesCategory.Student, null).ShouldBeNull();
        Should.Throw<ArgumentException>(() => DuesRule.Quote(DuesCategory.Employed, null));
    }

    [Theory]
    [InlineData("employed", DuesCategory.Employed)]
    [InlineData("Retired", DuesCategory.Retired)]
    [InlineData("STUDENT", DuesCategory.Student)]
    [InlineData("unemployed", DuesCategory.Unemployed)]
    [InlineData("farmer", DuesCategory.Farmer)]
    [InlineData("relief", DuesCategory.Relief)]
    [InlineData("1", null)]
    [InlineData("worker", null)]
    [InlineData("", null)]
    public void Categories_parse_by_name_only(string text, DuesCategory? expected) => DuesRule.ParseCategory(text).ShouldBe(expected);

    [Fact]
    public void Fen_conversion_is_exact() => (DuesRule.ToFen(30.00m), DuesRule.FromFen(3001)).ShouldBe((3000L, 30.01m));

    // ------------------------------------------------------------------ obligation

    private static DuesFacts Facts(string joined, DateOnly? paidThrough = null, MemberStatus status = MemberStatus.Normal,
        IReadOnlyList<DuesAdjustmentFact>? adjustments = null, params (string From, long Fen)[] bases) =>
        new(Guid.NewGuid(), "测试", Guid.NewGuid(), D(joined), status,
            bases.Select((b, i) => new DuesBaseFact(D(b.From), b.Fen, DateTimeOffset.UnixEpoch.AddDays(i))).ToList(), adjustments ?? [], paidThrough);

    [Fact]
    public void Probationary_members_owe_from_the_month_of_the_branch_vote()
    {
        // Voted in on 2026-03-31: March is due, February is not.
        var f = Facts("2026-03-31", bases: ("2026-01-01", 1500));
        DuesObligation.DueIn(f, D("2026-02-01")).ShouldBeNull();
        DuesObligation.DueIn(f, D("2026-03-01")).ShouldBe(1500);
        DuesObligation.NextMonthToPay(f).ShouldBe(D("2026-03-01"));
        // Voted on the first of the month: that month is due.
        DuesObligation.DueIn(Facts("2026-04-01", bases: ("2026-01-01", 1500)), D("2026-04-01")).ShouldBe(1500);
    }

    [Fact]
    public void The_latest_base_in_effect_applies_and_history_is_kept()
    {
        var f = Facts("2010-05-04", bases: [("2026-01-01", 3000), ("2026-07-01", 7500)]);
        DuesObligation.DueIn(f, D("2025-12-01")).ShouldBeNull();   // no base yet: not assessed
        DuesObligation.DueIn(f, D("2026-06-01")).ShouldBe(3000);
        DuesObligation.DueIn(f, D("2026-07-01")).ShouldBe(7500);
        DuesObligation.DueIn(f, D("2026-07-20")).ShouldBe(7500);
    }

    [Fact]
    public void Of_two_bases_for_the_same_month_the_newer_record_applies_in_whatever_order_they_come()
    {
        var older = new DuesBaseFact(D("2026-03-01"), 3000, DateTimeOffset.UnixEpoch);
        var newer = new DuesBaseFact(D("2026-03-01"), 4500, DateTimeOffset.UnixEpoch.AddMinutes(1));
        var earlier = new DuesBaseFact(D("2026-01-01"), 1000, DateTimeOffset.UnixEpoch.AddDays(9));
        foreach (var order in new[] { new[] { older, newer, earlier }, new[] { newer, earlier, older }, new[] { earlier, older, newer } })
        {
            DuesObligation.BaseIn(order, D("2026-02-01")).ShouldBe(earlier);   // a later month's records do not count yet
            DuesObligation.BaseIn(order, D("2026-03-01")).ShouldBe(newer);
            DuesObligation.BaseIn(order, D("2026-12-01")).ShouldBe(newer);
        }
        DuesObligation.BaseIn([], D("2026-03-01")).ShouldBeNull();
        // Overlapping adjustments: the one from the latest month covering the month applies, in whatever order.
        var waived = new DuesAdjustmentFact(DuesAdjustmentKind.Waived, 0, D("2026-01-01"), null);
        var reduced = new DuesAdjustmentFact(DuesAdjustmentKind.Reduced, 500, D("2026-04-01"), D("2026-05-01"));
        foreach (var order in new[] { new[] { waived, reduced }, new[] { reduced, waived } })
        {
            DuesObligation.AdjustmentIn(order, D("2026-03-01")).ShouldBe(waived);
            DuesObligation.AdjustmentIn(order, D("2026-04-01")).ShouldBe(reduced);
            DuesObligation.AdjustmentIn(order, D("2026-05-01")).ShouldBe(reduced);
            DuesObligation.AdjustmentIn(order, D("2026-06-01")).ShouldBe(waived);
        }
        DuesObligation.AdjustmentIn(new[] { reduced }, D("2026-03-01")).ShouldBeNull();
    }

    [Fact]
    public void Reductions_and_waivers_replace_the_amount_for_their_months()
    {
        var adj = new[] { new DuesAdjustmentFact(DuesAdjustmentKind.Waived, 0, D("2026-03-01"), D("2026-04-01")),
                          new DuesAdjustmentFact(DuesAdjustmentKind.Reduced, 500, D("2026-05-01"), null) };
        var f = Facts("2010-05-04", adjustments: adj, bases: ("2026-01-01", 3000));
        DuesObligation.DueIn(f, D("2026-02-01")).ShouldBe(3000);
        DuesObligation.DueIn(f, D("2026-03-01")).ShouldBe(0);
        DuesObligation.DueIn(f, D("2026-04-01")).ShouldBe(0);
        DuesObligation.DueIn(f, D("2026-05-01")).ShouldBe(500);
        DuesObligation.DueIn(f, D("2027-01-01")).ShouldBe(500);
    }

    [Fact]
    public void Members_not_counted_in_their_organization_owe_nothing()
    {
        DuesObligation.DueIn(Facts("2010-05-04", status: MemberStatus.Deceased, bases: ("2026-01-01", 3000)), D("2026-05-01")).ShouldBeNull();
        DuesObligation.DueIn(Facts("2010-05-04", status: MemberStatus.Mobile, bases: ("2026-01-01", 3000)), D("2026-05-01")).ShouldBe(3000);
    }

    [Fact]
    public void Payments_continue_from_the_paid_through_month()
    {
        var f = Facts("2010-05-04", paidThrough: D("2026-08-01"), bases: [("2026-01-01", 3000), ("2026-10-01", 5000)]);
        DuesObligation.NextMonths(f, 3).ShouldBe([(D("2026-09-01"), 3000L), (D("2026-10-01"), 5000L), (D("2026-11-01"), 5000L)]);
        var opening = new[] { new DuesBaseFact(D("2026-01-01"), 3000, DateTimeOffset.UnixEpoch, D("2026-05-01")) };
        DuesObligation.PaidThrough(null, opening).ShouldBe(D("2026-05-01"));
        DuesObligation.PaidThrough(D("2026-07-01"), opening).ShouldBe(D("2026-07-01"));
        DuesObligation.PaidThrough(D("2026-03-01"), opening).ShouldBe(D("2026-05-01"));
    }

    // ------------------------------------------------------------------ arrears (党章 6-month rule)

    [Theory]
    [InlineData("2026-09-01", 0, null)]
    [InlineData("2026-08-01", 1, null)]
    [InlineData("2026-07-01", 2, null)]
    [InlineData("2026-06-01", 3, AlertSeverity.Warning)]
    [InlineData("2026-05-01", 4, AlertSeverity.Warning)]
    [InlineData("2026-04-01", 5, AlertSeverity.Critical)]
    [InlineData("2026-01-01", 8, AlertSeverity.Critical)]
    public void Arrears_alert_at_three_months_and_escalate_at_five(string paidThrough, int months, AlertSeverity? severity)
    {
        // October 2026: September is the last closed month; October is still payable.
        var today = D("2026-10-15");
        var f = Facts("2010-05-04", paidThrough: D(paidThrough), bases: ("2025-01-01", 3000));
        DuesObligation.MonthsInArrears(f, today).ShouldBe(months);
        DuesObligation.ArrearsFen(f, today).ShouldBe(months * 3000L);
        var finding = DuesArrearsRule.Evaluate(f, today);
        finding?.Severity.ShouldBe(severity!.Value);
        if (severity is null) finding.ShouldBeNull();
    }

    [Fact]
    public void The_escalation_names_the_six_month_rule_and_its_date()
    {
        var f = Facts("2010-05-04", paidThrough: D("2026-04-01"), bases: ("2025-01-01", 3000)) with { MemberName = "李四" };
        var finding = DuesArrearsRule.Evaluate(f, D("2026-10-02")).ShouldNotBeNull();
        finding.RuleCode.ShouldBe("dues.arrears");
        finding.Message.ShouldBe("党员李四党费交至2026年4月，已连续5个月未交纳党费；按党章规定，连续6个月不交纳党费且无正当理由的，按自行脱党处理，请支部立即联系了解情况");
        finding.DueOn.ShouldBe(D("2026-10-31"));
        finding.SubjectId.ShouldBe(f.MemberId.ToString());
    }

    [Fact]
    public void Waived_months_are_not_arrears()
    {
        var waived = new[] { new DuesAdjustmentFact(DuesAdjustmentKind.Waived, 0, D("2026-05-01"), null) };
        var f = Facts("2010-05-04", paidThrough: D("2026-01-01"), adjustments: waived, bases: ("2025-01-01", 3000));
        DuesObligation.MonthsInArrears(f, D("2026-10-15")).ShouldBe(3); // Feb, Mar, Apr
        DuesArrearsRule.Evaluate(f, D("2026-10-15"))!.Severity.ShouldBe(AlertSeverity.Warning);
    }
}
