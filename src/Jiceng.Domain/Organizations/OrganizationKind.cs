namespace Jiceng.Domain.Organizations;

/// <summary>Kinds of party organization. The numeric values are stored: append, never renumber.</summary>
public enum OrganizationKind
{
    DistrictCommittee = 1,        // 区委
    StreetWorkingCommittee = 2,   // 街道党工委
    CommunityCommittee = 3,       // 社区党委
    GeneralBranch = 4,            // 党总支
    Branch = 5,                   // 党支部
    GridBranch = 6,               // 网格党支部
    PartyGroup = 7,               // 党小组
    NewEconomicAndSocial = 8,     // 两新组织党组织
    AgencyOrganization = 9,       // 机关党组织
    PropertyOrganization = 10,    // 物业党组织
    JointBranch = 11,             // 联合党支部
    GrassrootsCommittee = 12,     // 基层党委 (enterprises, agencies)
}

public enum OrganizationStatus
{
    Active = 1,
    Archived = 2,
}

public static class OrganizationKindNames
{
    private static readonly Dictionary<OrganizationKind, string> Names = new()
    {
        [OrganizationKind.DistrictCommittee] = "区委",
        [OrganizationKind.StreetWorkingCommittee] = "街道党工委",
        [OrganizationKind.CommunityCommittee] = "社区党委",
        [OrganizationKind.GeneralBranch] = "党总支",
        [OrganizationKind.Branch] = "党支部",
        [OrganizationKind.GridBranch] = "网格党支部",
        [OrganizationKind.PartyGroup] = "党小组",
        [OrganizationKind.NewEconomicAndSocial] = "两新组织党组织",
        [OrganizationKind.AgencyOrganization] = "机关党组织",
        [OrganizationKind.PropertyOrganization] = "物业党组织",
        [OrganizationKind.JointBranch] = "联合党支部",
        [OrganizationKind.GrassrootsCommittee] = "基层党委",
    };

    public static string ToChinese(this OrganizationKind kind) => Names.TryGetValue(kind, out var n) ? n : kind.ToString();

    public static string ToChinese(this OrganizationStatus status) => status == OrganizationStatus.Active ? "正常" : "已撤销";

    public static IReadOnlyDictionary<OrganizationKind, string> All => Names;

    /// <summary>Organizations that behave as a branch (支部) for the setting-up rules.</summary>
    public static bool IsBranchLike(this OrganizationKind kind) =>
        kind is OrganizationKind.Branch or OrganizationKind.GridBranch or OrganizationKind.JointBranch
            or OrganizationKind.NewEconomicAndSocial or OrganizationKind.PropertyOrganization;

    /// <summary>Committee-level organizations (基层党委 and above).</summary>
    public static bool IsCommitteeLevel(this OrganizationKind kind) =>
        kind is OrganizationKind.DistrictCommittee or OrganizationKind.StreetWorkingCommittee
            or OrganizationKind.CommunityCommittee or OrganizationKind.GrassrootsCommittee
            or OrganizationKind.AgencyOrganization;
}
