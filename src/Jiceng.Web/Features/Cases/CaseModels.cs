using Jiceng.Domain.Cases;

namespace Jiceng.Web.Features.Cases;

/// <summary>A resident's submission (QR form): no account.</summary>
public sealed class PublicCaseInput
{
    public Guid? GridId { get; set; }
    public Guid? CategoryId { get; set; }
    public string? Description { get; set; }
    public string? Place { get; set; }
    public string? Phone { get; set; }
    public string? Name { get; set; }
}

/// <summary>A case entered by staff: hotline, a grid worker's patrol or visit, or an API client.</summary>
public sealed class StaffCaseInput
{
    /// <summary>The grid it arose in; or an organization (grid branch or community) when no grid applies.</summary>
    public Guid? GridId { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? CategoryId { get; set; }
    public CaseSource? Source { get; set; }
    public string? Description { get; set; }
    public string? Place { get; set; }
    public string? Phone { get; set; }
    public string? ReporterName { get; set; }
    public Guid? HouseholdId { get; set; }
}

public sealed class TransitionInput
{
    /// <summary>accept | handle | whistle | department-accept | report | close | reject | transfer | follow-up | comment.</summary>
    public string? Action { get; set; }
    public int? Version { get; set; }
    public string? Text { get; set; }
    /// <summary>whistle: the departments.</summary>
    public List<Guid>? DepartmentIds { get; set; }
    /// <summary>department-accept / report: which of the caller's departments (when they belong to several).</summary>
    public Guid? DepartmentId { get; set; }
    /// <summary>transfer: the organization that takes the case.</summary>
    public Guid? OrganizationId { get; set; }
    /// <summary>follow-up: whether the resident says it is solved.</summary>
    public bool? Resolved { get; set; }
}

public sealed class ResidentTextInput
{
    public string? Text { get; set; }
}

public sealed class RatingInput
{
    public int? Rating { get; set; }
    public string? Text { get; set; }
}

public sealed record SubmittedCase(string TrackingCode, string Number);

public sealed record CaseEventView(CaseAction Action, string ActionName, CaseStatus StatusAfter, string StatusName, CaseActor Actor, string? ActorName,
    string? DepartmentName, string? OrganizationName, string? Text, DateTimeOffset At);

public sealed record DispatchView(Guid Id, Guid DepartmentId, string DepartmentName, DispatchStatus Status, string StatusName,
    DateTimeOffset WhistledAt, DateTimeOffset AcceptDue, DateTimeOffset ReportDue, DateTimeOffset? AcceptedAt, DateTimeOffset? ReportedAt, string? Report);

public sealed record CaseSummary(Guid Id, string Number, CaseStatus Status, string StatusName, string CategoryName, CaseSource Source, string SourceName,
    string Description, Guid OrganizationId, string OrganizationName, DateTimeOffset ReceivedAt, DateTimeOffset ResolutionDue, bool Overdue, int Version);

public sealed record CaseDetail(Guid Id, string Number, CaseStatus Status, string StatusName, Guid CategoryId, string CategoryName, CaseSource Source, string SourceName,
    string Description, string? Place, string? ReporterName, string? PhoneMasked, Guid OrganizationId, string OrganizationName,
    Guid HandlingOrganizationId, string HandlingOrganizationName, Guid? GridId, Guid? HouseholdId,
    DateTimeOffset ReceivedAt, DateTimeOffset ResponseDue, DateTimeOffset ResolutionDue, DateTimeOffset? RespondedAt, DateTimeOffset? ClosedAt,
    DateTimeOffset? ResolvedAt, string? Result, int ReopenCount, int? Rating, bool HasPhoto, int Version,
    IReadOnlyList<string> AllowedActions, IReadOnlyList<DispatchView> Dispatches, IReadOnlyList<CaseEventView> History);

/// <summary>What a resident sees through their tracking code: progress, never staff names or phone numbers.</summary>
public sealed record PublicCaseView(string Number, CaseStatus Status, string StatusName, string CategoryName, string Description, string? Place,
    DateTimeOffset ReceivedAt, DateTimeOffset ResolutionDue, DateTimeOffset? ClosedAt, string? Result, int? Rating,
    bool CanConfirm, bool CanReopen, bool CanRate, IReadOnlyList<PublicEventView> Progress);

public sealed record PublicEventView(string ActionName, string StatusName, string? Text, DateTimeOffset At);

public sealed record CaseRatesView(Guid OrganizationId, string OrganizationName, DateOnly From, DateOnly To,
    int Received, int Rejected, int RespondedInTime, int Closed, int Resolved, int Rated, int Satisfied, int EverClosed, int Reopened,
    double? ResponseRate, double? ClosedRate, double? ResolvedRate, double? SatisfactionRate, double? ReopenRate, double? AverageHoursToClose);

/// <summary>A category's deadlines: respond within hours, resolve within days.</summary>
public sealed class CategoryInput
{
    /// <summary>Required for a new category; renames an existing one when given.</summary>
    public string? Name { get; set; }
    public int? ResponseHours { get; set; }
    public int? ResolutionDays { get; set; }
    /// <summary>false retires the category (no longer offered, its cases keep it), true brings it back; unchanged when absent.</summary>
    public bool? Active { get; set; }
}

public sealed record CategoryView(Guid Id, string Code, string Name, int ResponseHours, int ResolutionDays, bool Active);

public sealed record DepartmentView(Guid Id, string Name, Guid OrganizationId, string OrganizationName, int Handlers);

public sealed record CaseQuery(Guid? OrgId = null, CaseStatus? Status = null, Guid? Category = null, DateOnly? From = null, DateOnly? To = null,
    int Page = 1, int PageSize = Infrastructure.Paging.DefaultPageSize, bool Mine = false);

public static class CaseActionNames
{
    public static readonly IReadOnlyDictionary<string, CaseAction> Api = new Dictionary<string, CaseAction>
    {
        ["accept"] = CaseAction.Accept, ["handle"] = CaseAction.Handle, ["whistle"] = CaseAction.Whistle,
        ["department-accept"] = CaseAction.DepartmentAccept, ["report"] = CaseAction.DepartmentReport, ["close"] = CaseAction.Close,
        ["reject"] = CaseAction.Reject, ["transfer"] = CaseAction.Transfer, ["follow-up"] = CaseAction.FollowUp, ["comment"] = CaseAction.Comment,
    };

    public static string ToApi(this CaseAction a) => Api.First(kv => kv.Value == a).Key;
}
