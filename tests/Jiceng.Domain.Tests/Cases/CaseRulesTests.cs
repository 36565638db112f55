using Jiceng.Domain.Alerts;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;

namespace Jiceng.Domain.Tests.Cases;

public class CaseStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly TransitionFacts WithText = new(Text: "已处理", NewDepartments: 1, Now: T0);

    /// <summary>Every status × every action, with all facts in its favour: the allowed ones and where they lead.</summary>
    public static TheoryData<CaseStatus, CaseAction, CaseStatus?> Table()
    {
        var allowed = new Dictionary<(CaseStatus, CaseAction), CaseStatus>
        {
            [(CaseStatus.Received, CaseAction.Accept)] = CaseStatus.Accepted,
            [(CaseStatus.Received, CaseAction.Reject)] = CaseStatus.Rejected,
            [(CaseStatus.Received, CaseAction.Transfer)] = CaseStatus.Received,
            [(CaseStatus.Accepted, CaseAction.Transfer)] = CaseStatus.Received,
            [(CaseStatus.Accepted, CaseAction.Handle)] = CaseStatus.Handling,
            [(CaseStatus.Reopened, CaseAction.Handle)] = CaseStatus.Handling,
            [(CaseStatus.Accepted, CaseAction.Whistle)] = CaseStatus.Whistled,
            [(CaseStatus.Handling, CaseAction.Whistle)] = CaseStatus.Whistled,
            [(CaseStatus.Reopened, CaseAction.Whistle)] = CaseStatus.Whistled,
            [(CaseStatus.Whistled, CaseAction.Whistle)] = CaseStatus.Whistled,
            [(CaseStatus.Whistled, CaseAction.DepartmentAccept)] = CaseStatus.Whistled,
            [(CaseStatus.Whistled, CaseAction.DepartmentReport)] = CaseStatus.Whistled,
            [(CaseStatus.Accepted, CaseAction.Close)] = CaseStatus.Closed,
            [(CaseStatus.Handling, CaseAction.Close)] = CaseStatus.Closed,
            [(CaseStatus.Whistled, CaseAction.Close)] = CaseStatus.Closed,
            [(CaseStatus.Reopened, CaseAction.Close)] = CaseStatus.Closed,
            [(CaseStatus.Closed, CaseAction.Confirm)] = CaseStatus.Resolved,
            [(CaseStatus.Closed, CaseAction.Reopen)] = CaseStatus.Reopened,
            [(CaseStatus.Closed, CaseAction.FollowUp)] = CaseStatus.Resolved,
            [(CaseStatus.Closed, CaseAction.Rate)] = CaseStatus.Closed,
            [(CaseStatus.Resolved, CaseAction.Rate)] = CaseStatus.Resolved,
        };
        foreach (var s in new[] { CaseStatus.Received, CaseStatus.Accepted, CaseStatus.Handling, CaseStatus.Whistled, CaseStatus.Reopened })
            allowed[(s, CaseAction.Escalate)] = s;
        foreach (var s in Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Rejected))
            allowed[(s, CaseAction.Comment)] = s;
        var data = new TheoryData<CaseStatus, CaseAction, CaseStatus?>();
        foreach (var s in Enum.GetValues<CaseStatus>())
        foreach (var a in Enum.GetValues<CaseAction>())
            data.Add(s, a, allowed.TryGetValue((s, a), out var next) ? next : null);
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_transition_is_allowed_or_refused_as_the_workflow_says(CaseStatus from, CaseAction action, CaseStatus? expected)
    {
        var facts = WithText with { ClosedAt = T0.AddDays(-7), FollowUpResolved = true };
        var r = CaseStateMachine.Apply(from, action, facts);
        if (expected is { } next)
        {
            r.Allowed.ShouldBeTrue(r.Error);
            r.Next.ShouldBe(next);
        }
        else
        {
            r.Allowed.ShouldBeFalse();
            r.Next.ShouldBe(from);
            r.Error.ShouldNotBeNull().ShouldContain(from.ToChinese());
        }
    }

    [Theory]
    [InlineData(CaseStatus.Received, CaseAction.Reject, "不予受理的理由不能为空")]
    [InlineData(CaseStatus.Accepted, CaseAction.Transfer, "转办理由不能为空")]
    [InlineData(CaseStatus.Closed, CaseAction.Reopen, "重办理由不能为空")]
    [InlineData(CaseStatus.Handling, CaseAction.Close, "办理结果不能为空")]
    [InlineData(CaseStatus.Whistled, CaseAction.DepartmentReport, "处置情况不能为空")]
    public void Rejections_transfers_reopening_closing_and_reports_need_a_text(CaseStatus s, CaseAction a, string message)
    {
        foreach (var text in new[] { null, "", "   " })
        {
            var r = CaseStateMachine.Apply(s, a, new TransitionFacts(Text: text, Now: T0));
            r.Allowed.ShouldBeFalse();
            r.Field.ShouldBe("text");
            r.Error.ShouldBe(message);
        }
        CaseStateMachine.Apply(s, a, new TransitionFacts(Text: new string('字', CaseStateMachine.MaxTextLength), Now: T0)).Allowed.ShouldBeTrue();
        CaseStateMachine.Apply(s, a, new TransitionFacts(Text: new string('字', CaseStateMachine.MaxTextLength + 1), Now: T0)).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void A_whistled_case_closes_only_after_every_department_reported()
    {
        var r = CaseStateMachine.Apply(CaseStatus.Whistled, CaseAction.Close, new TransitionFacts(Text: "结果", OpenDispatches: 1));
        r.Allowed.ShouldBeFalse();
        r.Error.ShouldBe("还有1个部门未反馈处置情况，不能办结");
        CaseStateMachine.Apply(CaseStatus.Whistled, CaseAction.Close, new TransitionFacts(Text: "结果", OpenDispatches: 0)).Next.ShouldBe(CaseStatus.Closed);
    }

    [Fact]
    public void A_whistle_needs_at_least_one_new_department()
    {
        var r = CaseStateMachine.Apply(CaseStatus.Handling, CaseAction.Whistle, new TransitionFacts(NewDepartments: 0));
        r.Field.ShouldBe("departmentIds");
        CaseStateMachine.Apply(CaseStatus.Handling, CaseAction.Whistle, new TransitionFacts(NewDepartments: 2)).Next.ShouldBe(CaseStatus.Whistled);
    }

    [Fact]
    public void A_follow_up_call_comes_only_after_the_follow_up_days_and_needs_its_outcome()
    {
        var closed = T0;
        var early = CaseStateMachine.Apply(CaseStatus.Closed, CaseAction.FollowUp,
            new TransitionFacts(ClosedAt: closed, Now: closed.AddDays(7).AddSeconds(-1), FollowUpDays: 7, FollowUpResolved: true));
        early.Allowed.ShouldBeFalse();
        early.Error.ShouldBe("办结7天后居民仍未确认的，才进行回访");
        var due = new TransitionFacts(ClosedAt: closed, Now: closed.AddDays(7), FollowUpDays: 7);
        CaseStateMachine.Apply(CaseStatus.Closed, CaseAction.FollowUp, due).Field.ShouldBe("resolved");
        CaseStateMachine.Apply(CaseStatus.Closed, CaseAction.FollowUp, due with { FollowUpResolved = true }).Next.ShouldBe(CaseStatus.Resolved);
        CaseStateMachine.Apply(CaseStatus.Closed, CaseAction.FollowUp, due with { FollowUpResolved = false }).Field.ShouldBe("text");
        CaseStateMachine.Apply(CaseStatus.Closed, CaseAction.FollowUp, due with { FollowUpResolved = false, Text = "居民说仍有噪音" }).Next.ShouldBe(CaseStatus.Reopened);
        FollowUpRule.IsDue(CaseStatus.Closed, closed, closed.AddDays(3), 3).ShouldBeTrue();
        FollowUpRule.IsDue(CaseStatus.Closed, closed, closed.AddDays(3).AddTicks(-1), 3).ShouldBeFalse();
        FollowUpRule.IsDue(CaseStatus.Resolved, closed, closed.AddDays(30), 3).ShouldBeFalse();
    }

    [Fact]
    public void A_department_accepts_once_then_reports_once()
    {
        CaseStateMachine.DispatchError(DispatchStatus.Whistled, CaseAction.DepartmentAccept).ShouldBeNull();
        CaseStateMachine.DispatchError(DispatchStatus.Accepted, CaseAction.DepartmentAccept).ShouldBe("本部门已报到");
        CaseStateMachine.DispatchError(DispatchStatus.Whistled, CaseAction.DepartmentReport).ShouldBe("请先报到，再反馈处置情况");
        CaseStateMachine.DispatchError(DispatchStatus.Accepted, CaseAction.DepartmentReport).ShouldBeNull();
        CaseStateMachine.DispatchError(DispatchStatus.Reported, CaseAction.DepartmentReport).ShouldBe("本部门已反馈处置情况");
        CaseStateMachine.DispatchError(DispatchStatus.Reported, CaseAction.DepartmentAccept).ShouldBe("本部门已报到");
    }

    [Fact]
    public void Staff_actions_offered_are_the_allowed_ones()
    {
        foreach (var s in Enum.GetValues<CaseStatus>())
        foreach (var a in CaseStateMachine.StaffActions(s))
            CaseStateMachine.Apply(s, a, WithText with { ClosedAt = T0.AddDays(-30), FollowUpResolved = true }).Allowed.ShouldBeTrue($"{s} {a}");
    }
}

public class CaseDeadlineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Deadlines_follow_the_category_hours_and_days()
    {
        var (response, resolution) = CaseDeadlines.For(T0, 24, 7);
        response.ShouldBe(T0.AddHours(24));
        resolution.ShouldBe(T0.AddDays(7));
        CaseDeadlines.For(T0, 2, 15).ShouldBe((T0.AddHours(2), T0.AddDays(15)));
    }

    [Fact]
    public void A_department_deadline_never_passes_the_case_deadline_that_is_still_ahead()
    {
        var caseDue = T0.AddDays(3);
        CaseDeadlines.ForDispatch(T0, 24, 7, caseDue).ShouldBe((T0.AddHours(24), caseDue));
        CaseDeadlines.ForDispatch(T0, 24, 2, caseDue).ShouldBe((T0.AddHours(24), T0.AddDays(2)));
        // Already overdue case: the department still gets its own days.
        CaseDeadlines.ForDispatch(T0, 24, 5, T0.AddDays(-1)).ShouldBe((T0.AddHours(24), T0.AddDays(5)));
        // The accept deadline is never after the report deadline.
        CaseDeadlines.ForDispatch(T0, 72, 7, T0.AddHours(10)).ShouldBe((T0.AddHours(10), T0.AddHours(10)));
    }

    [Fact]
    public void Alerts_warn_in_the_last_24_hours_and_are_critical_after_the_deadline()
    {
        var due = T0.AddDays(7);
        CaseDeadlines.Alert(due, due.AddHours(-24).AddTicks(-1)).ShouldBeNull();
        CaseDeadlines.Alert(due, due.AddHours(-24)).ShouldBe(AlertSeverity.Warning);
        CaseDeadlines.Alert(due, due).ShouldBe(AlertSeverity.Warning);
        CaseDeadlines.Alert(due, due.AddTicks(1)).ShouldBe(AlertSeverity.Critical);
    }

    [Fact]
    public void An_overdue_case_escalates_once_for_the_response_and_once_for_the_resolution()
    {
        var (response, resolution) = CaseDeadlines.For(T0, 24, 7);
        CaseEscalation.Due(CaseStatus.Received, response, resolution, false, false, response).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Received, response, resolution, false, false, response.AddTicks(1)).ShouldBe(EscalationReason.Response);
        CaseEscalation.Due(CaseStatus.Received, response, resolution, true, false, response.AddDays(1)).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Accepted, response, resolution, false, false, response.AddDays(1)).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Handling, response, resolution, false, false, resolution).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Handling, response, resolution, false, false, resolution.AddTicks(1)).ShouldBe(EscalationReason.Resolution);
        CaseEscalation.Due(CaseStatus.Whistled, response, resolution, false, false, resolution.AddDays(1)).ShouldBe(EscalationReason.Resolution);
        CaseEscalation.Due(CaseStatus.Received, response, resolution, true, false, resolution.AddDays(1)).ShouldBe(EscalationReason.Resolution);
        CaseEscalation.Due(CaseStatus.Reopened, response, resolution, true, true, resolution.AddDays(1)).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Closed, response, resolution, false, false, resolution.AddDays(1)).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Resolved, response, resolution, false, false, resolution.AddDays(1)).ShouldBeNull();
        CaseEscalation.Due(CaseStatus.Rejected, response, resolution, false, false, resolution.AddDays(1)).ShouldBeNull();
    }
}

public class CaseRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private static CaseFacts F(CaseStatus s, double respondedAfterHours = 1, double? closedAfterHours = null, int reopen = 0, int? rating = null) =>
        new(s, T0, T0.AddHours(24), double.IsNaN(respondedAfterHours) ? null : T0.AddHours(respondedAfterHours),
            closedAfterHours is { } h ? T0.AddHours(h) : null, reopen, rating,
            closedAfterHours is { } m ? CaseRates.CloseMinutes(T0, T0.AddHours(m)) : null);

    [Fact]
    public void Worked_example_closed_and_resolved_rates_differ()
    {
        // Six cases received in the period:
        var cases = new[]
        {
            F(CaseStatus.Resolved, 2, closedAfterHours: 48, rating: 5),                 // closed, resident confirmed, satisfied
            F(CaseStatus.Closed, 3, closedAfterHours: 24, rating: 2),                   // closed, not (yet) confirmed, dissatisfied
            F(CaseStatus.Closed, 30, closedAfterHours: 72),                             // responded late, closed
            F(CaseStatus.Resolved, 1, closedAfterHours: 96, reopen: 1, rating: 4),      // reopened once, closed again, confirmed
            F(CaseStatus.Reopened, 5, closedAfterHours: 12, reopen: 1),                 // closed once, then reopened: not closed now
            F(CaseStatus.Rejected, 4),                                                  // rejected within the deadline
        };
        var counts = CaseRates.Count(cases);
        counts.ShouldBe(new CaseCounts(Received: 6, Rejected: 1, RespondedInTime: 5, Closed: 4, Resolved: 2, EverClosed: 5, Reopened: 2,
            Rated: 3, Satisfied: 2, CloseMinutesTotal: (48 + 24 + 72 + 96) * 60));
        var r = CaseRates.From(counts);
        r.ResponseRate.ShouldBe(83.3);       // 5 of 6
        r.ClosedRate.ShouldBe(80.0);         // 办结率: 4 of 5 valid
        r.ResolvedRate.ShouldBe(40.0);       // 解决率: 2 of 5 valid
        r.SatisfactionRate.ShouldBe(66.7);   // 2 of 3 rated
        r.ReopenRate.ShouldBe(40.0);         // 2 of 5 ever closed
        r.AverageHoursToClose.ShouldBe(60.0); // (48+24+72+96)/4
    }

    [Fact]
    public void Counts_add_up_case_by_case_and_a_change_is_after_minus_before()
    {
        var cases = new[]
        {
            F(CaseStatus.Resolved, 2, closedAfterHours: 48, rating: 5), F(CaseStatus.Closed, 30, closedAfterHours: 72),
            F(CaseStatus.Reopened, 5, closedAfterHours: 12, reopen: 1), F(CaseStatus.Rejected, 4), F(CaseStatus.Received, double.NaN),
        };
        cases.Select(CaseCounts.Of).Aggregate(CaseCounts.Zero, (a, b) => a + b).ShouldBe(CaseRates.Count(cases));
        // The month of a closed case that the resident then reopens: its counts move by the difference, nothing else.
        var before = F(CaseStatus.Closed, 3, closedAfterHours: 24);
        var after = before with { Status = CaseStatus.Reopened, ReopenCount = 1 };
        var month = CaseRates.Count([before, cases[0]]);
        (month + (CaseCounts.Of(after) - CaseCounts.Of(before))).ShouldBe(CaseRates.Count([after, cases[0]]));
        (CaseCounts.Of(after) - CaseCounts.Of(after)).IsZero.ShouldBeTrue();
    }

    [Theory]
    [InlineData("2026-10-31T15:59:59Z", "2026-10-01")] // 23:59:59 on 31 October in Beijing
    [InlineData("2026-10-31T16:00:00Z", "2026-11-01")] // midnight in Beijing: November, though still October in UTC
    [InlineData("2026-12-31T16:00:00Z", "2027-01-01")]
    [InlineData("2028-02-29T03:00:00Z", "2028-02-01")]
    public void A_case_counts_in_its_month_in_Beijing_time(string receivedAt, string month) =>
        CaseCountRow.MonthOf(DateTimeOffset.Parse(receivedAt)).ShouldBe(DateOnly.Parse(month));

    [Fact]
    public void No_cases_give_no_rates_rather_than_zero_or_hundred()
    {
        var r = CaseRates.From(CaseRates.Count([]));
        r.ResponseRate.ShouldBeNull();
        r.ClosedRate.ShouldBeNull();
        r.ResolvedRate.ShouldBeNull();
        r.SatisfactionRate.ShouldBeNull();
        r.ReopenRate.ShouldBeNull();
        r.AverageHoursToClose.ShouldBeNull();
        // Only rejected cases: responded, but nothing valid to close.
        var rejected = CaseRates.From(CaseRates.Count([F(CaseStatus.Rejected, 1)]));
        rejected.ResponseRate.ShouldBe(100.0);
        rejected.ClosedRate.ShouldBeNull();
    }

    [Fact]
    public void A_response_exactly_at_the_deadline_is_in_time_and_one_tick_later_is_not()
    {
        CaseRates.Count([F(CaseStatus.Accepted, 24)]).RespondedInTime.ShouldBe(1);
        CaseRates.Count([new CaseFacts(CaseStatus.Accepted, T0, T0.AddHours(24), T0.AddHours(24).AddTicks(1), null, 0, null, null)]).RespondedInTime.ShouldBe(0);
        CaseRates.Count([F(CaseStatus.Received, double.NaN)]).RespondedInTime.ShouldBe(0);
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public void Ratings_of_four_and_five_count_as_satisfied(int rating, bool satisfied) =>
        CaseRates.Count([F(CaseStatus.Resolved, 1, 10, rating: rating)]).Satisfied.ShouldBe(satisfied ? 1 : 0);
}

public class TrackingCodeTests
{
    [Fact]
    public void A_tracking_code_carries_at_least_80_bits()
    {
        (TrackingCode.Bytes * 8).ShouldBeGreaterThanOrEqualTo(80);
        var code = TrackingCode.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(TrackingCode.Bytes));
        code.Length.ShouldBe(TrackingCode.Length);
        TrackingCode.Normalize(code.ToLowerInvariant()).ShouldBe(code);
        TrackingCode.Normalize(code[..10] + "-" + code[10..]).ShouldBe(code);
        TrackingCode.Normalize(code[..^1]).ShouldBeNull();
        TrackingCode.Normalize(code + "U").ShouldBeNull();
        TrackingCode.Normalize(null).ShouldBeNull();
        TrackingCode.Encode(new byte[] { 0xFF, 0x00 }).ShouldBe("ZW00");
    }
}

public class HouseholdRulesTests
{
    [Theory]
    [InlineData(20, false)]
    [InlineData(21, true)]
    public void A_worker_with_more_than_twenty_households_is_overloaded(int n, bool over) => HouseholdRules.WorkerOverloaded(n).ShouldBe(over);

    [Theory]
    [InlineData("2026-05-15", "2026-01-01", "2026-03-31")]
    [InlineData("2026-01-01", "2025-10-01", "2025-12-31")]
    [InlineData("2026-12-31", "2026-07-01", "2026-09-30")]
    public void The_last_quarter_is_the_calendar_quarter_before_today(string today, string from, string to) =>
        HouseholdRules.LastQuarter(DateOnly.Parse(today)).ShouldBe((DateOnly.Parse(from), DateOnly.Parse(to)));

    [Fact]
    public void A_household_not_visited_since_the_start_of_last_quarter_is_flagged()
    {
        var today = DateOnly.Parse("2026-05-15");
        HouseholdRules.NotVisitedLastQuarter(null, today).ShouldBeTrue();
        HouseholdRules.NotVisitedLastQuarter(DateOnly.Parse("2025-12-31"), today).ShouldBeTrue();
        HouseholdRules.NotVisitedLastQuarter(DateOnly.Parse("2026-01-01"), today).ShouldBeFalse();
        HouseholdRules.BelowYearlyVisits(3).ShouldBeTrue();
        HouseholdRules.BelowYearlyVisits(4).ShouldBeFalse();
    }
}
