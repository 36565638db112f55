using Jiceng.Domain.Development;
using K = Jiceng.Domain.Development.DevelopmentStepKind;

namespace Jiceng.Domain.Tests.Development;

public class DevelopmentRulesTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s);
    private static readonly DateOnly Today = D("2026-12-01");

    [Theory]
    [InlineData("2024-03-01", 364, false)]
    [InlineData("2024-03-01", 365, true)]
    // Leap year: 2023-03-01 to 2024-03-01 is 366 days, so day 365 (2024-02-29) is still short of a year.
    [InlineData("2023-03-01", 365, false)]
    [InlineData("2023-03-01", 366, true)]
    // Started on Feb 29: the year is complete on Feb 28 of the common year (day 365).
    [InlineData("2024-02-29", 364, false)]
    [InlineData("2024-02-29", 365, true)]
    public void Activist_may_be_listed_as_candidate_after_one_full_year(string activistOn, int days, bool allowed) =>
        (D(activistOn).AddDays(days) >= DevelopmentRules.EarliestCandidateListing(D(activistOn))).ShouldBe(allowed);

    [Fact]
    public void Candidate_listing_before_one_year_is_refused_naming_the_article()
    {
        var (facts, p) = Activist(D("2024-03-01"));
        var early = Evaluate(facts, p, Step(K.CandidateDetermination, D("2024-03-01").AddDays(364), notice: true));
        var violation = early.ShouldHaveSingleItem();
        violation.Rule.ShouldBe(DevelopmentRules.OneYearBeforeCandidate);
        violation.Rule.Blocks.ShouldBeTrue();
        violation.Citation.Article.ShouldBe("第十三条");
        violation.Text.ShouldContain("《中国共产党发展党员工作细则》（2014年）第十三条");
        Evaluate(facts, p, Step(K.CandidateDetermination, D("2024-03-01").AddDays(365), notice: true)).ShouldBeEmpty();
    }

    [Theory]
    // Vote on 2025-01-01: three months end on 2025-04-01 (day 90), six on 2025-07-01 (day 181).
    [InlineData(90, false, true)]
    [InlineData(91, false, false)]
    [InlineData(91, true, true)]
    [InlineData(181, true, true)]
    [InlineData(182, true, false)]
    public void Approval_within_three_months_or_six_with_consent(int day, bool extended, bool allowed)
    {
        var voted = D("2025-01-01");
        var approvedOn = voted.AddDays(day);
        (approvedOn <= DevelopmentRules.ApprovalDue(voted, extended)).ShouldBe(allowed);

        var (facts, p) = Voted(voted);
        var step = Step(K.AdmissionApproval, approvedOn, decision: StepDecision.Approved);
        step.ApprovalExtended = extended;
        var violations = Evaluate(facts, p, step);
        violations.Any(v => v.Rule == DevelopmentRules.ApprovalWithinThreeMonths).ShouldBe(!allowed);
    }

    [Theory]
    [InlineData(7, 4, true)]
    [InlineData(7, 3, false)]
    [InlineData(8, 4, false)]
    [InlineData(8, 5, true)]
    public void Assembly_is_valid_when_attendance_exceeds_half(int entitled, int attending, bool valid) =>
        DevelopmentRules.QuorumMet(entitled, attending).ShouldBe(valid);

    [Theory]
    [InlineData(8, 4, false)] // exactly half fails
    [InlineData(8, 5, true)]
    [InlineData(7, 3, false)]
    [InlineData(7, 4, true)]
    public void Resolution_passes_when_for_exceeds_half_of_full_members_entitled(int entitled, int votesFor, bool passes) =>
        DevelopmentRules.MajorityReached(entitled, votesFor).ShouldBe(passes);

    [Fact]
    public void An_invalid_assembly_is_refused_and_a_lost_vote_is_recorded_as_not_passed()
    {
        var (facts, p) = ReadyToVote();
        var invalid = Step(K.AdmissionVote, D("2025-01-01"));
        (invalid.Entitled, invalid.Attending, invalid.VotesFor) = (7, 3, 3);
        var v = Evaluate(facts, p, invalid).ShouldHaveSingleItem();
        v.Rule.ShouldBe(DevelopmentRules.AssemblyQuorum);
        v.Citation.Article.ShouldBe("第二十条");

        var lost = Step(K.AdmissionVote, D("2025-01-01"));
        (lost.Entitled, lost.Attending, lost.VotesFor, lost.VotesAgainst) = (8, 6, 4, 2);
        Evaluate(facts, p, lost).ShouldBeEmpty();
        DevelopmentProcedure.VoteDecision(lost, StepDecision.Approved).ShouldBe(StepDecision.Rejected);
        (lost.VotesFor, lost.VotesAgainst) = (5, 1);
        DevelopmentProcedure.VoteDecision(lost, StepDecision.Approved).ShouldBe(StepDecision.Approved);
    }

    [Theory]
    [InlineData(5, 0, false)]
    [InlineData(6, 0, true)]
    [InlineData(12, 0, true)]
    [InlineData(13, 0, false)]
    [InlineData(6, 6, true)]
    [InlineData(7, 6, false)]
    public void Probation_extension_is_six_to_twelve_months_in_all(int months, int already, bool allowed) =>
        (DevelopmentRules.CheckExtension(months, already) is null).ShouldBe(allowed);

    [Fact]
    public void An_approved_extension_moves_the_end_of_probation_and_the_confirmation_starts_again()
    {
        var steps = FullPath(D("2022-01-10"));
        var voted = steps.Single(s => s.Kind == K.AdmissionVote).OccurredOn;
        var p = DevelopmentProgress.From(steps.Where(s => s.Kind < K.ConfirmationApplication));
        p.ProbationEndsOn.ShouldBe(voted.AddYears(1));
        var end = voted.AddYears(1);
        var application = Step(K.ConfirmationApplication, end);
        var vote = Step(K.ConfirmationVote, end, decision: StepDecision.ExtendProbation);
        (vote.Entitled, vote.Attending, vote.VotesFor, vote.ExtensionMonths) = (9, 8, 7, 6);
        var approval = Step(K.ConfirmationApproval, end.AddDays(20), decision: StepDecision.Approved);
        foreach (var s in new[] { application, vote, approval }) p.Apply(s);
        p.ProbationEndsOn.ShouldBe(end.AddMonths(6));
        p.Stage.ShouldBe(DevelopmentStage.Probationary);
        p.IsDone(K.ConfirmationVote).ShouldBeFalse();
        // Discussing 转正 before the extended probation ends is refused.
        var facts = new DevelopmentFacts(D("1990-05-05"), D("2022-01-10"), null);
        p.Apply(Step(K.ConfirmationApplication, end.AddMonths(6)));
        var early = Step(K.ConfirmationVote, end.AddMonths(6).AddDays(-1), decision: StepDecision.Approved);
        (early.Entitled, early.Attending, early.VotesFor) = (9, 8, 7);
        Evaluate(facts, p, early).ShouldContain(x => x.Rule == DevelopmentRules.ProbationOneYear);
        // A second extension of 7 months would exceed a year in all.
        var second = Step(K.ConfirmationVote, end.AddMonths(6), decision: StepDecision.ExtendProbation);
        (second.Entitled, second.Attending, second.VotesFor, second.ExtensionMonths) = (9, 8, 7, 7);
        Evaluate(facts, p, second).ShouldContain(x => x.Rule == DevelopmentRules.ProbationExtension);
    }

    [Fact]
    public void The_full_path_reaches_full_membership_one_year_after_the_vote_without_violations()
    {
        var steps = FullPath(D("2022-01-10"));
        var facts = new DevelopmentFacts(D("1990-05-05"), D("2022-01-10"), null);
        DevelopmentProcedure.Check(facts, steps, 5, 2026, Today).ShouldBeEmpty();
        var p = DevelopmentProgress.From(steps);
        p.Stage.ShouldBe(DevelopmentStage.Full);
        p.Status.ShouldBe(DevelopmentStatus.Completed);
        p.FullMemberOn.ShouldBe(p.VotedOn!.Value.AddYears(1));
    }

    [Theory]
    [InlineData("2008-01-10", "2026-01-09", false)]
    [InlineData("2008-01-10", "2026-01-10", true)]
    [InlineData("2008-02-29", "2026-02-28", true)]
    public void Applicant_must_be_eighteen_on_the_application_date(string birth, string applied, bool allowed) =>
        DevelopmentRules.OldEnough(D(birth), D(applied)).ShouldBe(allowed);

    [Fact]
    public void Steps_out_of_order_are_refused_with_the_missing_step()
    {
        var facts = new DevelopmentFacts(D("1990-05-05"), D("2025-01-10"), null);
        var p = DevelopmentProgress.From([Step(K.Application, D("2025-01-10"))]);
        var v = Evaluate(facts, p, Step(K.ActivistDetermination, D("2025-02-01"), decision: StepDecision.Approved, method: "党员推荐")).ShouldHaveSingleItem();
        v.Rule.ShouldBe(DevelopmentRules.StepOrder);
        v.Message.ShouldContain("第2步“党组织派人谈话”");
    }

    [Fact]
    public void A_late_talk_is_recorded_but_reported_and_an_open_deadline_becomes_a_violation_once_passed()
    {
        var facts = new DevelopmentFacts(D("1990-05-05"), D("2025-01-31"), null);
        var p = DevelopmentProgress.From([Step(K.Application, D("2025-01-31"))]);
        DevelopmentProcedure.Deadlines(facts, p).ShouldHaveSingleItem().DueOn.ShouldBe(D("2025-02-28"));
        Evaluate(facts, p, Step(K.ApplicationTalk, D("2025-02-28"))).ShouldBeEmpty();
        var late = Evaluate(facts, p, Step(K.ApplicationTalk, D("2025-03-01"))).ShouldHaveSingleItem();
        late.Rule.ShouldBe(DevelopmentRules.TalkWithinOneMonth);
        late.Rule.Blocks.ShouldBeFalse();
        DevelopmentProcedure.Check(facts, [Step(K.Application, D("2025-01-31"))], 5, 2026, D("2025-03-01"))
            .ShouldHaveSingleItem().Rule.ShouldBe(DevelopmentRules.TalkWithinOneMonth);
    }

    [Theory]
    [InlineData(5, "2025-03-03", "2025-03-07", true)]  // Mon-Fri
    [InlineData(5, "2025-03-05", "2025-03-11", true)]  // Wed-Tue over a weekend
    [InlineData(5, "2025-03-05", "2025-03-10", false)] // only 4 working days
    [InlineData(7, "2025-03-03", "2025-03-07", false)]
    public void Public_notice_counts_working_days_against_the_setting(int required, string from, string to, bool allowed)
    {
        var (facts, p) = Activist(D("2024-03-01"));
        var s = Step(K.CandidateDetermination, D("2025-03-12"), decision: StepDecision.Approved);
        (s.NoticeFrom, s.NoticeTo) = (D(from), D(to));
        Evaluate(facts, p, s, required).Any(v => v.Rule == DevelopmentRules.PublicNotice).ShouldBe(!allowed);
    }

    [Fact]
    public void Sponsors_are_two_full_members_and_training_is_three_days_or_24_hours()
    {
        var (facts, p) = Candidate();
        var one = new[] { new PersonRef(Guid.NewGuid(), "甲", true) };
        var probationary = new[] { new PersonRef(Guid.NewGuid(), "甲", true), new PersonRef(Guid.NewGuid(), "乙", false) };
        var two = new[] { new PersonRef(Guid.NewGuid(), "甲", true), new PersonRef(Guid.NewGuid(), "乙", true) };
        var on = D("2025-04-01");
        Evaluate(facts, p, Step(K.SponsorAssignment, on), persons: one).ShouldHaveSingleItem().Rule.ShouldBe(DevelopmentRules.Sponsors);
        Evaluate(facts, p, Step(K.SponsorAssignment, on), persons: probationary).ShouldHaveSingleItem().Message.ShouldContain("乙不是正式党员");
        Evaluate(facts, p, Step(K.SponsorAssignment, on), persons: two).ShouldBeEmpty();
        Evaluate(facts, p, Training(on, 2, 23)).ShouldHaveSingleItem().Rule.ShouldBe(DevelopmentRules.CentralizedTraining);
        Evaluate(facts, p, Training(on, 3, null)).ShouldBeEmpty();
        Evaluate(facts, p, Training(on, null, 24)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("2025-07-01", false)]
    [InlineData("2025-07-02", true)]
    public void Someone_leaving_within_three_months_is_not_processed(string leavingOn, bool allowed)
    {
        var (_, p) = ReadyToVote();
        var facts = new DevelopmentFacts(D("1990-05-05"), D("2022-01-10"), D(leavingOn));
        var vote = Step(K.AdmissionVote, D("2025-04-01"));
        (vote.Entitled, vote.Attending, vote.VotesFor) = (7, 6, 6);
        Evaluate(facts, p, vote).Any(v => v.Rule == DevelopmentRules.NotLeavingWithinThreeMonths).ShouldBe(!allowed);
    }

    [Theory]
    [InlineData("2020-01-01", 2026, "2014")]
    [InlineData("2026-04-30", 2026, "2014")]
    [InlineData("2026-05-01", 2026, "2026")]
    [InlineData("2026-06-01", 2014, "2014")] // the deployment has not adopted the revision yet
    [InlineData("2010-01-01", 2026, "2014")] // before the first version: the first
    public void The_rule_version_is_the_one_in_force_on_the_date_up_to_the_adopted_one(string on, int adopted, string version) =>
        DevelopmentRuleBook.InForce(D(on), adopted).Version.ShouldBe(version);

    [Fact]
    public void Each_step_is_checked_against_the_version_in_force_on_its_date()
    {
        var (facts, p) = Activist(D("2025-06-01"));
        var v = Evaluate(facts, p, Step(K.CandidateDetermination, D("2026-05-31"), notice: true), book: DevelopmentRuleBook.InForce(D("2026-05-31"), 2026))
            .ShouldHaveSingleItem();
        v.Citation.Version.ShouldBe("2026");
        v.Text.ShouldContain("2026年修订");
        DevelopmentRules.All.ShouldAllBe(r => DevelopmentRuleBook.V2014.Articles.ContainsKey(r.Code) && DevelopmentRuleBook.V2026.Articles.ContainsKey(r.Code));
    }

    // ------------------------------------------------------------------ helpers

    private static List<RuleViolation> Evaluate(DevelopmentFacts facts, DevelopmentProgress p, DevelopmentStep s, int noticeDays = 5,
        IReadOnlyList<PersonRef>? persons = null, DevelopmentRuleBook? book = null) =>
        DevelopmentProcedure.Evaluate(facts, p, s, persons, noticeDays, book ?? DevelopmentRuleBook.V2014, Today);

    private static int _order;

    private static DevelopmentStep Step(K kind, DateOnly on, StepDecision? decision = null, string? method = null, bool notice = false)
    {
        var s = new DevelopmentStep
        {
            Id = Guid.NewGuid(), Kind = kind, OccurredOn = on, Decision = decision ?? (DevelopmentProcedure.Info(kind).BodyDecides ? StepDecision.Approved : null),
            Method = method ?? (kind == K.ActivistDetermination ? "党员推荐" : null), RecordedAt = DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref _order)),
        };
        if (notice) (s.NoticeFrom, s.NoticeTo) = (on.AddDays(-10), on.AddDays(-1));
        return s;
    }

    private static DevelopmentStep Training(DateOnly on, int? days, int? hours)
    {
        var s = Step(K.CentralizedTraining, on);
        (s.TrainingDays, s.TrainingHours) = (days, hours);
        return s;
    }

    private static (DevelopmentFacts, DevelopmentProgress) Activist(DateOnly activistOn)
    {
        var applied = activistOn.AddMonths(-2);
        var steps = new List<DevelopmentStep>
        {
            Step(K.Application, applied), Step(K.ApplicationTalk, applied.AddDays(10)), Step(K.ActivistDetermination, activistOn),
            Step(K.ActivistFiling, activistOn.AddDays(5)), Step(K.MentorAssignment, activistOn.AddDays(5)),
            Step(K.ActivistAssessment, activistOn.AddMonths(6)), Step(K.ActivistAssessment, activistOn.AddMonths(12)),
        };
        return (new DevelopmentFacts(D("1990-05-05"), applied, null), DevelopmentProgress.From(steps));
    }

    private static (DevelopmentFacts, DevelopmentProgress) Candidate()
    {
        var (facts, p) = Activist(D("2024-03-01"));
        p.Apply(Step(K.CandidateDetermination, D("2025-03-12"), notice: true));
        return (facts, p);
    }

    private static (DevelopmentFacts, DevelopmentProgress) ReadyToVote()
    {
        var steps = FullPath(D("2022-01-10")).Where(s => s.Kind < K.AdmissionVote).ToList();
        return (new DevelopmentFacts(D("1990-05-05"), D("2022-01-10"), null), DevelopmentProgress.From(steps));
    }

    private static (DevelopmentFacts, DevelopmentProgress) Voted(DateOnly votedOn)
    {
        var (facts, p) = ReadyToVote();
        var vote = Step(K.AdmissionVote, votedOn, decision: StepDecision.Approved);
        (vote.Entitled, vote.Attending, vote.VotesFor) = (7, 6, 6);
        p.Apply(vote);
        p.Apply(Step(K.CommitteeTalk, votedOn.AddDays(10)));
        return (facts, p);
    }

    /// <summary>A lawful path: applied, talked within a month, activist, assessed half-yearly, candidate after a year,
    /// admitted, assessed, confirmed one year after the vote.</summary>
    internal static List<DevelopmentStep> FullPath(DateOnly applied)
    {
        var activist = applied.AddMonths(2);
        var candidate = activist.AddYears(1).AddDays(10);
        var vote = candidate.AddMonths(5);
        var approval = vote.AddMonths(1);
        var end = vote.AddYears(1);
        var list = new List<DevelopmentStep>
        {
            Step(K.Application, applied), Step(K.ApplicationTalk, applied.AddDays(20)),
            Step(K.ActivistDetermination, activist), Step(K.ActivistFiling, activist.AddDays(3)), Step(K.MentorAssignment, activist.AddDays(3)),
            Step(K.ActivistAssessment, activist.AddMonths(6)), Step(K.ActivistAssessment, activist.AddMonths(12)),
            Step(K.CandidateDetermination, candidate, notice: true), Step(K.CandidateFiling, candidate.AddDays(3)),
            Step(K.PoliticalReview, candidate.AddMonths(1)), Training(candidate.AddMonths(2), 3, 24),
            Step(K.CommitteeReview, candidate.AddMonths(3)), Step(K.PreReview, candidate.AddMonths(4)), Step(K.ApplicationForm, candidate.AddMonths(4).AddDays(5)),
        };
        var sponsors = Step(K.SponsorAssignment, candidate.AddDays(5));
        sponsors.PersonIds = $"{Guid.NewGuid()},{Guid.NewGuid()}";
        var mentors = list.Single(s => s.Kind == K.MentorAssignment);
        mentors.PersonIds = Guid.NewGuid().ToString();
        list.Add(sponsors);
        var v = Step(K.AdmissionVote, vote, decision: StepDecision.Approved);
        (v.Entitled, v.Attending, v.VotesFor) = (9, 8, 7);
        list.AddRange([v, Step(K.CommitteeTalk, vote.AddDays(10)), Step(K.AdmissionApproval, approval), Step(K.AdmissionFiling, approval.AddDays(5)),
            Step(K.GroupPlacement, approval.AddDays(5)), Step(K.Oath, approval.AddDays(10)),
            Step(K.ProbationAssessment, vote.AddMonths(6)), Step(K.ConfirmationApplication, end.AddDays(-10))]);
        var cv = Step(K.ConfirmationVote, end, decision: StepDecision.Approved);
        (cv.Entitled, cv.Attending, cv.VotesFor) = (10, 9, 9);
        list.AddRange([cv, Step(K.ConfirmationApproval, end.AddMonths(1)), Step(K.Archiving, end.AddMonths(1).AddDays(3))]);
        return list;
    }
}
