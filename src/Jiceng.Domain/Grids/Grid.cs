using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Grids;

/// <summary>A grid (网格) of a community. Its grid branch (网格党支部, one per grid: seed 001) is the organization that
/// owns it, so the scope of the grid, its households, visits and cases follows the organization tree.</summary>
public class Grid : IOrgScoped
{
    public Guid Id { get; set; }
    /// <summary>The grid branch.</summary>
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    /// <summary>The community it belongs to (the branch's parent when the grid was set up).</summary>
    public Guid CommunityId { get; set; }
    public required string Name { get; set; }
    public string? Boundary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>专职 / 兼职 grid worker, or 联户长 (household lead, one per about ten households: seed 003).</summary>
public enum GridStaffKind { FullTime = 1, PartTime = 2, HouseholdLead = 3 }

/// <summary>A person working in a grid; <see cref="UserId"/> links an account when they sign in (网格员).</summary>
public class GridStaff : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid GridId { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    public GridStaffKind Kind { get; set; }
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    public string? UserId { get; set; }
    public bool Active { get; set; } = true;
}

/// <summary>A building (楼栋) of a grid, optionally with its party group (楼栋党小组).</summary>
public class Building : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid GridId { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    public Guid? PartyGroupId { get; set; }
}

/// <summary>A household in the resident ledger (民情台账).</summary>
public class Household : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid GridId { get; set; }
    public Grid? Grid { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public Guid? BuildingId { get; set; }
    public required string Address { get; set; }
    /// <summary>Tags separated by "," (独居老人, 困难家庭 ...), see <see cref="HouseholdRules.KnownTags"/>.</summary>
    public string Tags { get; set; } = "";
    public Guid? ResponsibleWorkerId { get; set; }
    public Guid? HouseholdLeadId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A person of a household; the phone is protected.</summary>
public class HouseholdMember : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid HouseholdId { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    public string? Relation { get; set; }
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
}

/// <summary>
/// A visit (走访): date, household, worker, what was heard, whether a follow-up is needed (then a case in one
/// click). No GPS, no photo. Grid workers record visits although their role does not write the registry, so
/// a visit is not <see cref="IOrgScoped"/>: the service checks that the household is in the caller's scope.
/// </summary>
public class Visit
{
    public Guid Id { get; set; }
    public Guid HouseholdId { get; set; }
    public Household? Household { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public Guid? WorkerId { get; set; }
    public string? WorkerName { get; set; }
    public DateOnly VisitedOn { get; set; }
    public required string Heard { get; set; }
    public bool FollowUpNeeded { get; set; }
    public Guid? CaseId { get; set; }
    public string? RecordedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class GridNames
{
    public static string ToChinese(this GridStaffKind k) => k switch
    {
        GridStaffKind.FullTime => "专职网格员", GridStaffKind.PartTime => "兼职网格员", GridStaffKind.HouseholdLead => "联户长", _ => k.ToString(),
    };
}
