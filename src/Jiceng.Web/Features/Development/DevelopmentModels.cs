using Jiceng.Domain.Development;
using Jiceng.Domain.Members;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Web.Features.Development;

/// <summary>入党申请: the person and the date the branch received the application.</summary>
public sealed class ApplicationInput
{
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
    public string? Ethnicity { get; set; }
    public Education? Education { get; set; }
    public Occupation? Occupation { get; set; }
    public string? WorkUnit { get; set; }
    public Guid? OrganizationId { get; set; }
    public DateOnly? AppliedOn { get; set; }
    public DateOnly? LeavingOn { get; set; }
    public string? Documents { get; set; }
    public string? Note { get; set; }
}

/// <summary>One step as the branch records it. Which fields matter depends on the step: persons for mentors and
/// sponsors, counts for votes, days or hours for training, notice dates for the candidate listing.</summary>
public class StepInput
{
    public DevelopmentStepKind? Kind { get; set; }
    public DateOnly? OccurredOn { get; set; }
    public string? Actor { get; set; }
    public string? Documents { get; set; }
    public string? Note { get; set; }
    public StepDecision? Decision { get; set; }
    public string? Method { get; set; }
    public List<Guid>? PersonIds { get; set; }
    public int? Entitled { get; set; }
    public int? Attending { get; set; }
    public int? VotesFor { get; set; }
    public int? VotesAgainst { get; set; }
    public int? VotesAbstaining { get; set; }
    public int? TrainingDays { get; set; }
    public int? TrainingHours { get; set; }
    public DateOnly? NoticeFrom { get; set; }
    public DateOnly? NoticeTo { get; set; }
    public bool? ApprovalExtended { get; set; }
    public int? ExtensionMonths { get; set; }
    /// <summary>Updates the record's expected leaving date (细则: not processed when leaving within 3 months).</summary>
    public DateOnly? LeavingOn { get; set; }
}

/// <summary>A correction of a recorded step: the step's fields as they should have been (persons unchanged when omitted) and why.</summary>
public sealed class CorrectionInput : StepInput
{
    public string? Reason { get; set; }
}

/// <summary>Ends the process. Withdrawal: the date the person withdrew and the reason. Termination: the date the branch
/// committee decided (actor) and the reason. ProbationCancellation: the branch assembly's date (decidedOn) and vote, the
/// date the committee above approved (occurredOn) and which committee (actor), the reason.</summary>
public sealed class ClosureInput
{
    public DevelopmentStepKind? Kind { get; set; }
    public DateOnly? OccurredOn { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? Actor { get; set; }
    public string? Reason { get; set; }
    public string? Documents { get; set; }
    public int? Entitled { get; set; }
    public int? Attending { get; set; }
    public int? VotesFor { get; set; }
    public int? VotesAgainst { get; set; }
    public int? VotesAbstaining { get; set; }
}

/// <summary>Status: which records the list shows (default the ones under way; Closed finds withdrawn and cancelled ones, Completed
/// the archived). The stage counts are always of the records under way.</summary>
public sealed record DevelopmentQuery(Guid? OrgId = null, DevelopmentStage? Stage = null, string? Q = null, int Page = 1, int PageSize = Paging.DefaultPageSize,
    DevelopmentStatus? Status = null);

public sealed record StageCount(DevelopmentStage Stage, string Name, int Count, int DueSoon, int Overdue);

public sealed record DevelopmentSummary(Guid Id, string Name, string GenderName, int Age, Guid OrganizationId, string OrganizationName,
    DevelopmentStage Stage, string StageName, DateOnly AppliedOn, DateOnly? NextDueOn, DevelopmentStepKind? NextDueStep, string? NextDueStepName,
    string? Urgency);

/// <summary>The pipeline board: counts per stage over the subtree (under way), this year's admissions, and one page of
/// records, the ones with the nearest (or passed) deadline first.</summary>
public sealed record DevelopmentBoard(IReadOnlyList<StageCount> Stages, int AdmittedThisYear, int ConfirmedThisYear,
    IReadOnlyList<DevelopmentSummary> Items, int Total, int Page, int PageSize);

public sealed record StepEntry(Guid Id, DateOnly OccurredOn, string? Actor, string? Documents, string? Note, StepDecision? Decision, string? DecisionName,
    string? Method, string? PersonNames, int? Entitled, int? Attending, int? VotesFor, int? VotesAgainst, int? VotesAbstaining,
    int? TrainingDays, int? TrainingHours, DateOnly? NoticeFrom, DateOnly? NoticeTo, bool ApprovalExtended, int? ExtensionMonths,
    string RuleVersion, string? RecordedBy, DateTimeOffset RecordedAt,
    Guid? CorrectsStepId = null, string? CorrectionReason = null, Guid? CorrectedBy = null);

/// <summary>How the process ended without admission or completion (withdrawal, termination, probation cancellation).</summary>
public sealed record ClosureView(Guid Id, DevelopmentStepKind Kind, string KindName, DateOnly OccurredOn, DateOnly? DecidedOn, string? Actor, string? Reason,
    string? Documents, int? Entitled, int? Attending, int? VotesFor, int? VotesAgainst, int? VotesAbstaining, string RuleVersion, string? RecordedBy,
    DateTimeOffset RecordedAt);

/// <summary>One of the 25 steps on the record's timeline. State: done / due / overdue / possible / blocked.</summary>
public sealed record TimelineStep(int Number, DevelopmentStepKind Kind, string Name, string Phase, string State, string StateName,
    DateOnly? DueOn, DateOnly? EarliestOn, string? BlockedReason, bool Repeatable, bool BodyDecides, IReadOnlyList<StepEntry> Entries);

public sealed record ViolationView(string Code, string Rule, bool Blocks, string Version, string Document, string Article, string Message, string Text,
    DevelopmentStepKind? Step, int? StepNumber, DateOnly? On);

public sealed record DevelopmentDetail(Guid Id, string Name, string GenderName, int Age, string Ethnicity, string IdNumberMasked, string? PhoneMasked,
    string EducationName, string OccupationName, string? WorkUnit, Guid OrganizationId, string OrganizationName,
    DevelopmentStage Stage, string StageName, DevelopmentStatus Status, string StatusName, DateOnly AppliedOn, DateOnly? ActivistOn, DateOnly? CandidateOn,
    DateOnly? VotedOn, DateOnly? ApprovedOn, DateOnly? ProbationEndsOn, DateOnly? FullMemberOn, DateOnly? LeavingOn, Guid? MemberId,
    string RuleVersion, IReadOnlyList<TimelineStep> Timeline, IReadOnlyList<ViolationView> Violations,
    ClosureView? Closure = null, IReadOnlyList<DevelopmentStepKind>? ClosuresAllowed = null, IReadOnlyList<OtherApplication>? OtherApplications = null);

/// <summary>Another development record of the same person (same ID number), e.g. the one whose probation was cancelled before
/// this re-application. A record kept by an organization outside the caller's scope shows only its organization's name, dates,
/// stage and outcome (<see cref="Visible"/> false, no id), as a transfer names its other side.</summary>
public sealed record OtherApplication(Guid? Id, bool Visible, string OrganizationName, DateOnly AppliedOn, DevelopmentStage Stage, string StageName,
    DevelopmentStatus Status, string StatusName, DateOnly? ApprovedOn, DateOnly? FullMemberOn, DevelopmentStepKind? ClosureKind, string? ClosureName, DateOnly? ClosedOn);

public sealed record RecordCheck(Guid RecordId, string Name, DevelopmentStage Stage, string StageName, IReadOnlyList<ViolationView> Violations);

public sealed record OrganizationCheck(Guid OrganizationId, string OrganizationName, int Records, int RecordsWithViolations, IReadOnlyList<RecordCheck> Findings);

/// <summary>A full member who may be chosen as mentor or sponsor.</summary>
public sealed record PersonOption(Guid Id, string Name, string OrganizationName);

/// <summary>The outcome of recording a step: the record, field errors, rules the step breaks, or not found.</summary>
public sealed record StepOutcome(DevelopmentDetail? Value, FieldErrors? Errors = null, IReadOnlyList<ViolationView>? Violations = null, bool NotFound = false);

public static class DevelopmentNames
{
    public static string ToChinese(this DevelopmentStatus s) => s switch
    {
        DevelopmentStatus.Active => "办理中",
        DevelopmentStatus.Completed => "已转正归档",
        _ => "已终止",
    };

    public static ViolationView ToView(this RuleViolation v) =>
        new(v.Rule.Code, v.Rule.Name, v.Rule.Blocks, v.Citation.Version, v.Citation.Document, v.Citation.Article, v.Message, v.Text,
            v.Step, v.Step is { } s ? (int)s : null, v.On);
}
