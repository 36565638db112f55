using Jiceng.Domain.Development;
using K = Jiceng.Domain.Development.DevelopmentStepKind;

namespace Jiceng.Domain.Tests.Development;

/// <summary>Closing a record (withdrawal, termination, probation cancellation) and correcting a recorded step.</summary>
public class DevelopmentClosureAndCorrectionTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s);
    private static readonly DateOnly Today = D("2026-12-01");
    private static readonly DevelopmentFacts Facts = new(D("1990-05-05"), D("2022-01-10"), null);
    private static int _order;

    private static DevelopmentStep Closure(K kind, DateOnly on, string? reason = "本人提出", string? actor = "支部委员会")
        => new() { Id = Guid.NewGuid(), Kind = kind, OccurredOn = on, Reason = reason, Actor = actor, RecordedAt = DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref _order)) };

    private static List<DevelopmentStep> Path() => DevelopmentRulesTests.FullPath(D("2022-01-10"));

    private static DevelopmentProgress Upto(K last) => DevelopmentProgress.From(Path().Where(s => s.Kind <= last));

    private static List<RuleViolation> Evaluate(DevelopmentProgress p, DevelopmentStep s) =>
        DevelopmentProcedure.EvaluateClosure(p, s, DevelopmentRuleBook.V2014, Today);

    [Theory]
    [InlineData(K.ApplicationTalk, K.Withdrawal, true)]
    [InlineData(K.ApplicationTalk, K.Termination, false)] // an applicant has no qualification to cancel
    [InlineData(K.ActivistAssessment, K.Withdrawal, true)]
    [InlineData(K.ActivistAssessment, K.Termination, true)]
    [InlineData(K.CommitteeTalk, K.Termination, true)] // voted, not yet approved: still a candidate
    [InlineData(K.CommitteeTalk, K.ProbationCancellation, false)]
    [InlineData(K.AdmissionApproval, K.Withdrawal, false)] // admitted: the way out is the assembly's cancellation
    [InlineData(K.AdmissionApproval, K.Termination, false)]
    public void Which_closure_a_stage_allows(K upTo, K closure, bool allowed)
    {
        var p = Upto(upTo);
        var s = Closure(closure, Today);
        if (closure == K.ProbationCancellation) { s.DecidedOn = Today; (s.Entitled, s.Attending, s.VotesFor) = (7, 5, 4); }
        var v = Evaluate(p, s);
        (v.Count == 0).ShouldBe(allowed);
        if (!allowed) v[0].Field.ShouldBe("kind");
    }

    [Fact]
    public void A_closure_needs_a_reason_and_a_date_not_before_the_last_step()
    {
        var p = Upto(K.ActivistAssessment);
        var last = Path().Where(s => s.Kind <= K.ActivistAssessment).Max(s => s.OccurredOn);
        Evaluate(p, Closure(K.Withdrawal, Today, reason: " ")).ShouldContain(v => v.Field == "reason" && v.Rule == DevelopmentRules.Withdrawal);
        Evaluate(p, Closure(K.Withdrawal, last.AddDays(-1))).ShouldContain(v => v.Field == "occurredOn");
        Evaluate(p, Closure(K.Withdrawal, last)).ShouldBeEmpty();
        Evaluate(p, Closure(K.Termination, last, actor: null)).ShouldContain(v => v.Field == "actor" && v.Rule == DevelopmentRules.Termination);
        Evaluate(p, Closure(K.Withdrawal, Today.AddDays(1))).ShouldContain(v => v.Field == "occurredOn");
    }

    [Fact]
    public void A_closed_record_leaves_the_active_state_has_no_deadlines_and_refuses_further_steps()
    {
        var steps = Path().Where(s => s.Kind <= K.ActivistAssessment).ToList();
        steps.Add(Closure(K.Termination, Today.AddDays(-1), reason: "考察期间表现不符合要求"));
        var p = DevelopmentProgress.From(steps);
        p.Status.ShouldBe(DevelopmentStatus.Closed);
        p.Stage.ShouldBe(DevelopmentStage.Activist); // the history says how far it got
        DevelopmentProcedure.Deadlines(Facts, p).ShouldBeEmpty();
        var blocked = DevelopmentProcedure.Blocked(K.ActivistAssessment, p, DevelopmentRuleBook.V2014).ShouldNotBeNull();
        blocked.Message.ShouldContain("取消入党积极分子/发展对象资格");
        Evaluate(p, Closure(K.Withdrawal, Today)).ShouldHaveSingleItem().Field.ShouldBe("kind");
        // The procedure check replays the closure without error.
        DevelopmentProcedure.Check(Facts, steps, 5, 2026, Today).ShouldNotContain(v => v.Rule == DevelopmentRules.StepOrder);
    }

    [Theory]
    // 7 entitled: 4 attending is valid (3 is not); "for" must exceed half of the 7 (4 passes, 3 fails).
    [InlineData(7, 4, 4, null)]
    [InlineData(7, 3, 3, "attending")]
    [InlineData(7, 6, 3, "votesFor")]
    [InlineData(8, 8, 4, "votesFor")] // exactly half fails
    public void Probation_cancellation_needs_the_assemblys_valid_majority(int entitled, int attending, int votesFor, string? field)
    {
        var p = Upto(K.ProbationAssessment);
        var s = Closure(K.ProbationCancellation, Today, reason: "不履行党员义务", actor: "街道党工委");
        (s.DecidedOn, s.Entitled, s.Attending, s.VotesFor) = (Today.AddDays(-10), entitled, attending, votesFor);
        var v = Evaluate(p, s);
        if (field is null) v.ShouldBeEmpty();
        else v.ShouldHaveSingleItem().Field.ShouldBe(field);
    }

    [Fact]
    public void Probation_cancellation_is_approved_after_the_assembly_and_cites_the_party_constitution()
    {
        var p = Upto(K.ProbationAssessment);
        var s = Closure(K.ProbationCancellation, Today.AddDays(-20), reason: "不具备党员条件", actor: "街道党工委");
        (s.DecidedOn, s.Entitled, s.Attending, s.VotesFor) = (Today.AddDays(-10), 7, 6, 5);
        var v = Evaluate(p, s).ShouldHaveSingleItem();
        v.Field.ShouldBe("occurredOn");
        v.Text.ShouldContain("《中国共产党章程》第七条");
        s.DecidedOn = null;
        Evaluate(p, s).ShouldContain(x => x.Field == "decidedOn");
    }

    [Fact]
    public void A_correction_replaces_the_entry_it_corrects_and_keeps_its_place_on_the_same_day()
    {
        var steps = Path().Where(s => s.Kind <= K.MentorAssignment).ToList();
        var determination = steps.Single(s => s.Kind == K.ActivistDetermination);
        var filing = steps.Single(s => s.Kind == K.ActivistFiling);
        // The determination was typed a day late; the correction moves it to the filing's day, recorded after the filing.
        var corrected = new DevelopmentStep
        {
            Id = Guid.NewGuid(), Kind = K.ActivistDetermination, OccurredOn = filing.OccurredOn, Decision = StepDecision.Approved, Method = "党员推荐",
            CorrectsStepId = determination.Id, Reason = "日期录入错误", RecordedAt = DateTimeOffset.UnixEpoch.AddYears(10),
        };
        steps.Add(corrected);
        DevelopmentProcedure.Superseded(steps).ShouldBe([determination.Id]);
        var effective = DevelopmentProcedure.Effective(steps).ToList();
        effective.ShouldNotContain(determination);
        effective.IndexOf(corrected).ShouldBeLessThan(effective.IndexOf(filing));
        DevelopmentProgress.From(steps).ActivistOn.ShouldBe(filing.OccurredOn);
        DevelopmentProcedure.Check(Facts, steps, 5, 2026, Today).ShouldNotContain(v => v.Rule.Blocks && v.Field != "deadline");
    }

    [Fact]
    public void A_correction_that_breaks_a_later_step_shows_in_the_check()
    {
        var steps = Path().Where(s => s.Kind <= K.CandidateFiling).ToList();
        var determination = steps.Single(s => s.Kind == K.ActivistDetermination);
        var candidate = steps.Single(s => s.Kind == K.CandidateDetermination);
        // Moving the activist date later makes the candidate listing come before one full year.
        steps.Add(new DevelopmentStep
        {
            Id = Guid.NewGuid(), Kind = K.ActivistDetermination, OccurredOn = candidate.OccurredOn.AddMonths(-6), Decision = StepDecision.Approved,
            Method = "党员推荐", CorrectsStepId = determination.Id, Reason = "日期录入错误", RecordedAt = DateTimeOffset.UnixEpoch.AddYears(10),
        });
        DevelopmentProcedure.Check(Facts, steps, 5, 2026, Today).ShouldContain(v => v.Rule == DevelopmentRules.OneYearBeforeCandidate);
    }

    [Fact]
    public void The_2026_revision_says_its_article_numbers_are_not_verified()
    {
        DevelopmentRuleBook.V2014.ArticlesVerified.ShouldBeTrue();
        DevelopmentRuleBook.V2026.ArticlesVerified.ShouldBeFalse();
        DevelopmentRuleBook.V2026.Cite(DevelopmentRules.OneYearBeforeCandidate).Text.ShouldContain("待核对");
        DevelopmentRuleBook.V2014.Cite(DevelopmentRules.OneYearBeforeCandidate).Text.ShouldNotContain("待核对");
        // A citation of another document (党章) is not affected by the revision's numbering.
        DevelopmentRuleBook.V2026.Cite(DevelopmentRules.ProbationCancellation).Text.ShouldBe("《中国共产党章程》第七条");
    }
}
