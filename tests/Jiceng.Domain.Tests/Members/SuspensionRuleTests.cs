using Jiceng.Domain.Alerts;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Tests.Members;

public class SuspensionRuleTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    [Theory]
    [InlineData("2025-12-15", false)] // exactly 6 months: not more than 6
    [InlineData("2025-12-14", true)]
    [InlineData("2025-08-31", true)] // + 6 months = 2026-02-28
    public void Lost_contact_counts_from_more_than_six_months(string lastContact, bool longEnough) =>
        SuspensionRule.LostContactLongEnough(DateOnly.Parse(lastContact), Today).ShouldBe(longEnough);

    [Fact]
    public void Six_months_from_the_end_of_august_end_on_the_last_of_february()
    {
        SuspensionRule.LostContactLongEnough(new DateOnly(2025, 8, 31), new DateOnly(2026, 2, 28)).ShouldBeFalse();
        SuspensionRule.LostContactLongEnough(new DateOnly(2025, 8, 31), new DateOnly(2026, 3, 1)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("2024-06-16", false)] // one day short of 2 years
    [InlineData("2024-06-15", true)] // exactly 2 years
    [InlineData("2023-01-01", true)]
    public void The_decision_is_due_two_years_after_the_suspension(string suspended, bool due)
    {
        var on = DateOnly.Parse(suspended);
        SuspensionRule.DecisionDue(on, Today).ShouldBe(due);
        (SuspensionRule.Evaluate(Guid.NewGuid(), "甲", Guid.NewGuid(), on, Today) is not null).ShouldBe(due);
    }

    [Fact]
    public void A_suspension_on_a_leap_day_is_due_on_the_28th_of_february()
    {
        var leap = new DateOnly(2024, 2, 29);
        SuspensionRule.DecisionDueOn(leap).ShouldBe(new DateOnly(2026, 2, 28));
        SuspensionRule.DecisionDue(leap, new DateOnly(2026, 2, 27)).ShouldBeFalse();
        SuspensionRule.DecisionDue(leap, new DateOnly(2026, 2, 28)).ShouldBeTrue();
    }

    [Fact]
    public void The_alert_names_the_rule_the_dates_and_the_member()
    {
        var member = Guid.NewGuid();
        var f = SuspensionRule.Evaluate(member, "王某", Guid.NewGuid(), new DateOnly(2024, 3, 1), Today)!;
        f.RuleCode.ShouldBe(SuspensionRule.AlertCode);
        f.Severity.ShouldBe(AlertSeverity.Warning);
        f.SubjectType.ShouldBe("member");
        f.SubjectId.ShouldBe(member.ToString());
        f.DueOn.ShouldBe(new DateOnly(2026, 3, 1));
        f.Message.ShouldContain("王某自2024年3月1日停止党籍");
        f.Message.ShouldContain("除名");
        f.Message.ShouldContain(SuspensionRule.Source);
    }

    [Fact]
    public void A_decision_needs_a_suspended_member_a_date_between_the_suspension_and_today_and_a_review()
    {
        var since = new DateOnly(2025, 1, 10);
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, since, "审查合格", Today, SuspensionOutcome.Restored).ShouldBeEmpty();
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, Today, "审查合格", Today, SuspensionOutcome.Removed).ShouldBeEmpty();
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, since.AddDays(-1), "x", Today, SuspensionOutcome.Restored)
            .Single().ShouldBe(("decidedOn", "决定日期不能早于停止党籍的日期（2025年1月10日）"));
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, Today.AddDays(1), "x", Today, SuspensionOutcome.Restored).Single().Field.ShouldBe("decidedOn");
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, null, "x", Today, SuspensionOutcome.Restored).Single().Field.ShouldBe("decidedOn");
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, Today, " ", Today, SuspensionOutcome.Restored).Single().Field.ShouldBe("review");
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, Today, new string('审', 501), Today, SuspensionOutcome.Restored).Single().Field.ShouldBe("review");
        SuspensionRule.CheckDecision(MemberStatus.Suspended, since, Today, new string('审', 500), Today, SuspensionOutcome.Restored).ShouldBeEmpty();
        SuspensionRule.CheckDecision(MemberStatus.Normal, null, Today, "x", Today, SuspensionOutcome.Restored)
            .Single().ShouldBe(("status", "只有停止党籍的党员才能恢复党籍"));
        SuspensionRule.CheckDecision(MemberStatus.LeftParty, since, Today, "x", Today, SuspensionOutcome.Removed).Single().Field.ShouldBe("status");
    }
}

public class DuesBaseEndTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static DuesBaseFact Base(int y, int m, long fen, int order = 0, bool ended = false) => new(new DateOnly(y, m, 1), fen, T0.AddDays(order), Ended: ended);

    private static DuesFacts Facts(MemberStatus status, DateOnly joined, DateOnly? paidThrough, params DuesBaseFact[] bases) =>
        new(Guid.NewGuid(), "甲", Guid.NewGuid(), joined, status, bases, [], paidThrough);

    [Fact]
    public void Leaving_ends_the_base_from_the_month_after_and_the_leaving_month_stays_due()
    {
        var bases = new[] { Base(2023, 1, 3000) };
        DuesObligation.EndMonth(bases, new DateOnly(2025, 3, 31)).ShouldBe(new DateOnly(2025, 4, 1));
        DuesObligation.EndMonth(bases, new DateOnly(2025, 3, 1)).ShouldBe(new DateOnly(2025, 4, 1));
        var ended = bases.Append(Base(2025, 4, 0, 1, ended: true)).ToArray();
        var f = Facts(MemberStatus.Normal, new DateOnly(2020, 7, 1), new DateOnly(2025, 2, 1), ended);
        DuesObligation.DueIn(f, new DateOnly(2025, 3, 1)).ShouldBe(3000);
        DuesObligation.DueIn(f, new DateOnly(2025, 4, 1)).ShouldBeNull();
        DuesObligation.BaseIn(ended, new DateOnly(2026, 1, 1)).ShouldBeNull();
        // Back on the roll (restored) a year later: only the month of leaving is owed, not the months away.
        DuesObligation.MonthsInArrears(f, new DateOnly(2026, 5, 10)).ShouldBe(1);
        DuesObligation.ArrearsFen(f, new DateOnly(2026, 5, 10)).ShouldBe(3000);
        // Without the end the months away would be arrears.
        DuesObligation.MonthsInArrears(f with { Bases = bases }, new DateOnly(2026, 5, 10)).ShouldBe(14); // 2025-03 to 2026-04
    }

    [Fact]
    public void A_base_recorded_for_a_later_month_is_ended_too_and_nothing_is_ended_twice()
    {
        var bases = new[] { Base(2025, 1, 3000), Base(2025, 7, 5000, 1) };
        var month = DuesObligation.EndMonth(bases, new DateOnly(2025, 4, 20))!.Value;
        month.ShouldBe(new DateOnly(2025, 7, 1));
        var ended = bases.Append(Base(2025, 7, 0, 2, ended: true)).ToArray();
        DuesObligation.BaseIn(ended, new DateOnly(2025, 8, 1)).ShouldBeNull(); // same month: the end is the newer record
        DuesObligation.EndMonth(ended, new DateOnly(2025, 9, 1)).ShouldBeNull();
        DuesObligation.EndMonth([], new DateOnly(2025, 9, 1)).ShouldBeNull();
    }

    [Fact]
    public void A_new_base_after_the_end_starts_the_dues_again_and_a_readmitted_member_owes_from_the_new_vote_month()
    {
        var bases = new[] { Base(2020, 1, 3000), Base(2022, 6, 0, 1, ended: true), Base(2026, 3, 1500, 2) };
        var readmitted = Facts(MemberStatus.Normal, new DateOnly(2026, 3, 18), new DateOnly(2022, 5, 1), bases);
        DuesObligation.NextMonthToPay(readmitted).ShouldBe(new DateOnly(2026, 3, 1));
        DuesObligation.DueIn(readmitted, new DateOnly(2026, 2, 1)).ShouldBeNull();
        DuesObligation.DueIn(readmitted, new DateOnly(2026, 3, 1)).ShouldBe(1500);
        DuesObligation.MonthsInArrears(readmitted, new DateOnly(2026, 6, 2)).ShouldBe(3);
        // No new base yet: nothing due (未核定), no arrears, although the old base once applied.
        var notAssessed = readmitted with { Bases = bases.Take(2).ToArray() };
        DuesObligation.MonthsInArrears(notAssessed, new DateOnly(2026, 6, 2)).ShouldBe(0);
        DuesObligation.DueIn(notAssessed, new DateOnly(2026, 5, 1)).ShouldBeNull();
    }
}

public class SuspensionCheckTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);
    private static readonly DateOnly Joined = new(2000, 7, 1);

    private static List<(string Field, string Message)> Check(string lostContact, string decided, MemberStatus status = MemberStatus.Normal,
        DateOnly? suspendedOn = null, RecordedContact? contact = null, string? reason = "失去联系，多方寻找未果") =>
        SuspensionRule.CheckSuspension(status, suspendedOn, Joined, lostContact.Length == 0 ? null : DateOnly.Parse(lostContact),
            decided.Length == 0 ? null : DateOnly.Parse(decided), reason, Today, contact).ToList();

    [Theory]
    [InlineData("2025-12-15", "2026-06-15", false)] // exactly 6 months
    [InlineData("2025-12-15", "2026-06-16", false)] // after today
    [InlineData("2025-12-14", "2026-06-15", true)] // the day after 6 months
    [InlineData("2025-08-31", "2026-02-28", false)] // 31 Aug + 6 months = 28 Feb
    [InlineData("2025-08-31", "2026-03-01", true)]
    [InlineData("2023-08-31", "2024-02-29", false)] // a leap year: 29 Feb
    [InlineData("2023-08-31", "2024-03-01", true)]
    public void The_decision_date_lies_more_than_six_months_after_the_last_contact(string lostContact, string decided, bool allowed) =>
        Check(lostContact, decided).Count.ShouldBe(allowed ? 0 : 1);

    [Fact]
    public void A_refusal_names_the_first_allowed_day_and_the_source()
    {
        var (field, message) = Check("2025-08-31", "2026-02-28").Single();
        field.ShouldBe("lostContactSince");
        message.ShouldContain("2026年3月1日起方可决定");
        message.ShouldContain(SuspensionRule.Source);
    }

    [Fact]
    public void A_later_recorded_contact_refuses_it_and_an_equal_one_does_not()
    {
        var contact = new RecordedContact(new DateOnly(2025, 11, 1), "流动党员登记");
        Check("2025-10-01", "2026-06-15", contact: contact).Single().Message.ShouldStartWith("流动党员登记记录该党员最近一次联系是2025年11月1日");
        Check("2025-11-01", "2026-06-15", contact: contact).ShouldBeEmpty();
    }

    [Fact]
    public void Only_a_member_on_the_roll_is_suspended_and_a_suspended_one_only_has_a_missing_date_recorded()
    {
        Check("", "", MemberStatus.Deceased).Single().ShouldBe(("status", "只有在册党员才能停止党籍（该党员已故）"));
        Check("", "", MemberStatus.Suspended, new DateOnly(2025, 1, 1)).Single().Field.ShouldBe("status");
        Check("2025-10-01", "2026-06-15", MemberStatus.Mobile).ShouldBeEmpty();
        Check("", "", reason: null).Select(e => e.Field).ShouldBe(["decidedOn", "lostContactSince", "reason"]);
        // 补录: the date alone will do; it is not before 入党 nor after today.
        Check("", "2020-05-01", MemberStatus.Suspended, reason: null).ShouldBeEmpty();
        Check("", "1999-05-01", MemberStatus.Suspended).Single().Field.ShouldBe("decidedOn");
        Check("2026-01-01", "2026-02-01", MemberStatus.Suspended).Single().Field.ShouldBe("lostContactSince");
        Check("", "2026-06-15", reason: new string('理', 501)).Select(e => e.Field).ShouldBe(["lostContactSince", "reason"]);
    }

    [Fact]
    public void A_decision_waits_for_the_suspension_date_and_the_missing_date_alert_names_the_member()
    {
        SuspensionRule.CheckDecision(MemberStatus.Suspended, null, Today, "审查合格", Today, SuspensionOutcome.Restored)
            .Single().Message.ShouldContain("补录停止党籍日期");
        var member = Guid.NewGuid();
        var f = SuspensionDateMissingRule.Evaluate(member, "王某", Guid.NewGuid());
        (f.RuleCode, f.SubjectType, f.SubjectId, f.DueOn).ShouldBe((SuspensionDateMissingRule.AlertCode, "member", member.ToString(), (DateOnly?)null));
        f.Message.ShouldContain("王某的状态为停止党籍，但未登记停止党籍日期");
        f.Message.ShouldContain(SuspensionRule.Source);
    }
}
