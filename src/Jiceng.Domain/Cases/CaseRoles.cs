using Jiceng.Domain.Identity;

namespace Jiceng.Domain.Cases;

/// <summary>Who may do what with cases (minimum access: the three administrators see no cases).</summary>
public static class CaseRoles
{
    /// <summary>Staff who read and handle the cases in their scope: accept, handle, close, reject, transfer, follow up.</summary>
    public static IReadOnlyList<string> Handlers { get; } = [Roles.OrgDepartmentAdmin, Roles.StreetAdmin, Roles.CommunityWorker, Roles.GridWorker];

    /// <summary>街道吹哨: the street whistles departments.</summary>
    public static IReadOnlyList<string> Whistlers { get; } = [Roles.StreetAdmin];

    /// <summary>Everyone who reads cases; a department handler only those whistled to their department.</summary>
    public static IReadOnlyList<string> Readers { get; } = [.. Handlers, Roles.DepartmentHandler];

    /// <summary>Who edits grids, households and departments (the registry writers of the community and above).</summary>
    public static IReadOnlyList<string> LedgerEditors { get; } = [Roles.OrgDepartmentAdmin, Roles.StreetAdmin, Roles.CommunityWorker];

    /// <summary>Who sets the categories' deadlines: the district's organization department and the street.</summary>
    public static IReadOnlyList<string> CategoryEditors { get; } = [Roles.OrgDepartmentAdmin, Roles.StreetAdmin];

    /// <summary>Who records visits: the grid worker and the community.</summary>
    public static IReadOnlyList<string> Visitors { get; } = [Roles.StreetAdmin, Roles.CommunityWorker, Roles.GridWorker];
}
