using Jiceng.Domain.Grids;

namespace Jiceng.Web.Features.Grids;

public sealed class GridInput
{
    /// <summary>The grid branch (网格党支部) that owns the grid.</summary>
    public Guid? OrganizationId { get; set; }
    public string? Name { get; set; }
    public string? Boundary { get; set; }
}

public sealed class GridStaffInput
{
    public string? Name { get; set; }
    public GridStaffKind? Kind { get; set; }
    public string? Phone { get; set; }
    /// <summary>The account of a grid worker who signs in, if any.</summary>
    public string? UserName { get; set; }
}

public sealed class HouseholdMemberInput
{
    public string? Name { get; set; }
    public string? Relation { get; set; }
    public string? Phone { get; set; }
}

public sealed class HouseholdInput
{
    public Guid? GridId { get; set; }
    public string? Building { get; set; }
    public string? Address { get; set; }
    public List<string>? Tags { get; set; }
    public Guid? ResponsibleWorkerId { get; set; }
    public Guid? HouseholdLeadId { get; set; }
    public List<HouseholdMemberInput>? Members { get; set; }
}

public sealed class VisitInput
{
    public Guid? HouseholdId { get; set; }
    public DateOnly? VisitedOn { get; set; }
    public string? Heard { get; set; }
    public bool FollowUpNeeded { get; set; }
    public Guid? WorkerId { get; set; }
}

public sealed class VisitCaseInput
{
    public Guid? CategoryId { get; set; }
    public string? Description { get; set; }
}

public sealed record GridSummary(Guid Id, string Name, Guid OrganizationId, string BranchName, Guid CommunityId, string CommunityName, string? Boundary,
    int Households, int Workers, int HouseholdLeads);

public sealed record GridStaffView(Guid Id, string Name, GridStaffKind Kind, string KindName, string? PhoneMasked, string? UserName, int Households);

public sealed record GridDetail(GridSummary Grid, IReadOnlyList<GridStaffView> Staff, IReadOnlyList<string> Buildings);

public sealed record HouseholdMemberView(Guid Id, string Name, string? Relation, string? PhoneMasked);

public sealed record HouseholdSummary(Guid Id, Guid GridId, string GridName, string? Building, string Address, IReadOnlyList<string> Tags,
    Guid? ResponsibleWorkerId, string? ResponsibleWorkerName, DateOnly? LastVisitedOn, int Members);

public sealed record HouseholdDetail(HouseholdSummary Household, string? HouseholdLeadName, IReadOnlyList<HouseholdMemberView> Members, IReadOnlyList<VisitView> Visits);

public sealed record VisitView(Guid Id, Guid HouseholdId, string Address, DateOnly VisitedOn, string? WorkerName, string Heard, bool FollowUpNeeded, Guid? CaseId, string? CaseNumber);

public sealed record CoverageRow(Guid HouseholdId, string GridName, string Address, string? ResponsibleWorkerName, int Visits, DateOnly? LastVisitedOn);

public sealed record CoverageView(int Year, int Households, int NotVisitedLastQuarter, int BelowYearly, IReadOnlyList<CoverageRow> Rows, int Total, int Page, int PageSize);
