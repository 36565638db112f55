using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;

namespace Jiceng.Domain.Tests.OrganizationalLife;

public class OrgLifeRulesTests
{
    private sealed class Defaults(Dictionary<string, int>? values = null) : ISettingsReader
    {
        public int Get(SettingDefinition d) => values is not null && values.TryGetValue(d.Key, out var v) ? v : d.Default;
    }

    // ------------------------------------------------------------------ quorum

    [Theory]
    [InlineData(5, 3, true)]   // more than half
    [InlineData(5, 2, false)]  // 2 of 5 is less than half
    [InlineData(4, 2, true)]   // exactly half counts (>= half)
    [InlineData(4, 1, false)]
    [InlineData(3, 2, true)]
    [InlineData(3, 1, false)]
    [InlineData(1, 1, true)]
    [InlineData(1, 0, false)]
    [InlineData(7, 4, true)]
    [InlineData(7, 3, false)]
    public void Committee_quorum_is_at_least_half(int size, int present, bool met)
    {
        CommitteeQuorum.IsMet(size, present).ShouldBe(met);
    }

    [Fact]
    public void Quorum_is_unknown_without_a_recorded_committee_and_needed_is_the_half_rounded_up()
    {
        CommitteeQuorum.IsMet(0, 3).ShouldBeNull();
        CommitteeQuorum.Needed(5).ShouldBe(3);
        CommitteeQuorum.Needed(4).ShouldBe(2);
        CommitteeQuorum.Needed(3).ShouldBe(2);
    }

    // ------------------------------------------------------------------ appraisal

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 0)] // decision: a third of two is not a whole person → no 优秀
    [InlineData(3, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(8, 2)]
    [InlineData(9, 3)]
    [InlineData(50, 16)]
    public void Excellent_is_at_most_a_third_rounded_down(int appraised, int max)
    {
        AppraisalRules.MaxExcellent(appraised).ShouldBe(max);
        AppraisalRules.CheckExcellent(max, appraised).ShouldBeNull();
        AppraisalRules.CheckExcellent(max + 1, appraised).ShouldNotBeNull();
    }

    [Fact]
    public void The_messages_explain_the_limit_including_the_two_member_case()
    {
        AppraisalRules.CheckExcellent(2, 3).ShouldBe("参评党员3人，优秀最多1人（不超过三分之一，向下取整），当前选了2人，请调整");
        AppraisalRules.CheckExcellent(1, 2).ShouldNotBeNull().ShouldContain("本次不能评定优秀等次");
    }

    [Fact]
    public void Unqualified_needs_a_reason()
    {
        AppraisalRules.CheckReason(AppraisalGrade.Unqualified, null).ShouldBe("评为不合格须写明理由");
        AppraisalRules.CheckReason(AppraisalGrade.Unqualified, "  ").ShouldNotBeNull();
        AppraisalRules.CheckReason(AppraisalGrade.Unqualified, "连续六个月无故不参加组织生活").ShouldBeNull();
        AppraisalRules.CheckReason(AppraisalGrade.Qualified, null).ShouldBeNull();
        AppraisalRules.CheckReason(AppraisalGrade.Qualified, new string('长', 501)).ShouldNotBeNull();
    }

    // ------------------------------------------------------------------ periods in China time

    [Theory]
    [InlineData("2026-03-31T15:59:59Z", 2026, 1)] // 23:59:59 on 31 March in Shanghai: still Q1
    [InlineData("2026-03-31T16:00:00Z", 2026, 2)] // 00:00 on 1 April in Shanghai: Q2, though UTC still says 31 March
    [InlineData("2026-06-30T16:00:00Z", 2026, 3)]
    [InlineData("2026-12-31T15:59:59Z", 2026, 4)]
    [InlineData("2026-12-31T16:00:00Z", 2027, 1)] // New Year in Shanghai 8 hours before UTC
    public void Quarter_boundaries_follow_Asia_Shanghai(string instant, int year, int quarter)
    {
        var date = ChinaDate.Of(DateTimeOffset.Parse(instant));
        var p = LifePeriods.Of(date, 4);
        (p.Year, p.Index, p.Months).ShouldBe((year, quarter, 3));
    }

    [Fact]
    public void Frequencies_cut_the_year_into_periods()
    {
        LifePeriods.OfYear(2026, 4).Select(p => (p.Start, p.End)).ShouldBe([
            (new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31)), (new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30)),
            (new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)), (new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31))]);
        LifePeriods.OfYear(2026, 12).Count.ShouldBe(12);
        LifePeriods.OfYear(2028, 12)[1].End.ShouldBe(new DateOnly(2028, 2, 29));
        LifePeriods.OfYear(2026, 1).Single().Label.ShouldBe("2026年");
        LifePeriods.Of(new DateOnly(2026, 8, 20), 4).Label.ShouldBe("2026年第3季度");
        LifePeriods.Of(new DateOnly(2026, 11, 1), 12).Label.ShouldBe("2026年11月");
        // 5 a year does not divide the year: the whole year is one period with 5 due.
        LifePeriods.OfYear(2026, 5).Single().Months.ShouldBe(12);
        LifePeriods.DuePerPeriod(5).ShouldBe(5);
        LifePeriods.DuePerPeriod(4).ShouldBe(1);
        LifePeriods.DuePerPeriod(0).ShouldBe(0);
    }

    [Fact]
    public void A_period_is_closed_only_after_its_last_day()
    {
        var q3 = LifePeriods.Of(new DateOnly(2026, 8, 1), 4);
        q3.IsClosed(new DateOnly(2026, 9, 30)).ShouldBeFalse();
        q3.IsClosed(new DateOnly(2026, 10, 1)).ShouldBeTrue();
    }

    // ------------------------------------------------------------------ schedule and calendar

    [Fact]
    public void Branches_groups_and_committees_have_their_own_required_kinds()
    {
        var s = new Defaults();
        ActivitySchedule.RequiredFor(OrganizationKind.GridBranch, hasCommittee: true, s).Select(r => r.Kind).ShouldBe([
            ActivityKind.BranchAssembly, ActivityKind.CommitteeMeeting, ActivityKind.PartyLesson, ActivityKind.ThemeDay,
            ActivityKind.CriticismMeeting, ActivityKind.HeartToHeartTalk, ActivityKind.MemberAppraisal]);
        ActivitySchedule.RequiredFor(OrganizationKind.Branch, hasCommittee: false, s).ShouldNotContain(r => r.Kind == ActivityKind.CommitteeMeeting);
        ActivitySchedule.RequiredFor(OrganizationKind.PartyGroup, false, s).ShouldBe([new RequiredActivity(ActivityKind.GroupMeeting, 12)]);
        ActivitySchedule.RequiredFor(OrganizationKind.CommunityCommittee, true, s).ShouldBeEmpty();
        ActivitySchedule.RequiredFor(OrganizationKind.Branch, true, s).Single(r => r.Kind == ActivityKind.BranchAssembly).TimesPerYear.ShouldBe(4);
        // A setting of 0 switches a kind off.
        ActivitySchedule.RequiredFor(OrganizationKind.Branch, true, new Defaults(new() { ["life.themeDaysPerYear"] = 0 }))
            .ShouldNotContain(r => r.Kind == ActivityKind.ThemeDay);
        ActivitySchedule.MayRecord(OrganizationKind.PartyGroup, ActivityKind.GroupMeeting).ShouldBeTrue();
        ActivitySchedule.MayRecord(OrganizationKind.PartyGroup, ActivityKind.BranchAssembly).ShouldBeFalse();
        ActivitySchedule.MayRecord(OrganizationKind.GridBranch, ActivityKind.GroupMeeting).ShouldBeFalse();
    }

    [Fact]
    public void Calendar_marks_done_due_missed_and_not_due()
    {
        var today = new DateOnly(2026, 11, 15);
        var required = new[] { new RequiredActivity(ActivityKind.BranchAssembly, 4) };
        var cells = ActivityCalendar.Build(2026, required, [(ActivityKind.BranchAssembly, new DateOnly(2026, 5, 10)), (ActivityKind.ThemeDay, new DateOnly(2026, 8, 1))],
            today, establishedOn: new DateOnly(2026, 2, 1));
        cells.Select(c => c.State).ShouldBe([PeriodState.NotDue, PeriodState.Done, PeriodState.Missed, PeriodState.Due]);
        cells[1].Held.ShouldBe(1);
    }

    [Fact]
    public void Missed_recently_looks_back_twelve_months_over_closed_periods_since_establishment()
    {
        var assembly = new RequiredActivity(ActivityKind.BranchAssembly, 4);
        var today = new DateOnly(2026, 11, 15);
        ActivityCalendar.MissedRecently(assembly, [], today, null).Select(p => p.Label)
            .ShouldBe(["2025年第4季度", "2026年第1季度", "2026年第2季度", "2026年第3季度"]);
        ActivityCalendar.MissedRecently(assembly, [new DateOnly(2026, 8, 20)], today, new DateOnly(2026, 7, 1)).ShouldBeEmpty();
        ActivityCalendar.MissedRecently(assembly, [], today, new DateOnly(2026, 7, 1)).Select(p => p.Label).ShouldBe(["2026年第3季度"]);
        // An activity on the last day of the quarter counts for it; the next day is another quarter.
        ActivityCalendar.MissedRecently(assembly, [new DateOnly(2026, 9, 30)], today, new DateOnly(2026, 7, 1)).ShouldBeEmpty();
        ActivityCalendar.MissedRecently(assembly, [new DateOnly(2026, 10, 1)], today, new DateOnly(2026, 7, 1)).Count.ShouldBe(1);
    }

    // ------------------------------------------------------------------ consecutive absences

    [Fact]
    public void Absence_streak_counts_unexcused_absences_back_to_the_last_attendance()
    {
        const AttendanceStatus P = AttendanceStatus.Present, E = AttendanceStatus.Excused, A = AttendanceStatus.Absent;
        AbsenceStreakRule.Streak([A, A, A, P, A]).ShouldBe(3);
        AbsenceStreakRule.Streak([A, A, P, A, A]).ShouldBe(2);
        AbsenceStreakRule.Streak([A, E, A, A]).ShouldBe(3); // an excused absence neither counts nor breaks the streak
        AbsenceStreakRule.Streak([P, A, A, A]).ShouldBe(0);
        AbsenceStreakRule.Streak([E, E]).ShouldBe(0);
        AbsenceStreakRule.Streak([]).ShouldBe(0);
        AbsenceStreakRule.Fires(3, 3).ShouldBeTrue();
        AbsenceStreakRule.Fires(2, 3).ShouldBeFalse();
    }

    // ------------------------------------------------------------------ training hours

    [Theory]
    [InlineData(31.5, false, false)]
    [InlineData(32, false, true)]
    [InlineData(55.5, true, false)]
    [InlineData(56, true, true)]
    [InlineData(40, true, false)]
    public void Training_hours_need_32_or_56_for_leaders(double hours, bool leader, bool met)
    {
        TrainingHoursRule.IsMet((decimal)hours, leader).ShouldBe(met);
        TrainingHoursRule.Required(leader).ShouldBe(leader ? 56m : 32m);
    }
}
