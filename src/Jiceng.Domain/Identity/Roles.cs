namespace Jiceng.Domain.Identity;

/// <summary>Roles. A user holds role assignments, each bound to an organization whose subtree is
/// its data scope. The three administrators are separated (三员分立, 等保2.0): none can do another's work.</summary>
public static class Roles
{
    public const string SystemAdmin = "SystemAdmin";             // 系统管理员
    public const string SecurityAdmin = "SecurityAdmin";         // 安全管理员
    public const string Auditor = "Auditor";                     // 审计管理员
    public const string OrgDepartmentAdmin = "OrgDepartmentAdmin"; // 组织部管理员
    public const string StreetAdmin = "StreetAdmin";             // 街道管理员
    public const string CommunityWorker = "CommunityWorker";     // 社区工作者
    public const string GridWorker = "GridWorker";               // 网格员
    public const string DepartmentHandler = "DepartmentHandler"; // 部门处置人员
    public const string Member = "Member";                       // 党员

    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        [SystemAdmin] = "系统管理员",
        [SecurityAdmin] = "安全管理员",
        [Auditor] = "审计管理员",
        [OrgDepartmentAdmin] = "组织部管理员",
        [StreetAdmin] = "街道管理员",
        [CommunityWorker] = "社区工作者",
        [GridWorker] = "网格员",
        [DepartmentHandler] = "部门处置人员",
        [Member] = "党员",
    };

    public static IReadOnlyList<string> Administrators { get; } = [SystemAdmin, SecurityAdmin, Auditor];

    public static bool IsKnown(string role) => Names.ContainsKey(role);

    public static string ToChinese(string role) => Names.TryGetValue(role, out var n) ? n : role;

    /// <summary>Roles that may edit the organization tree within their scope.</summary>
    public static IReadOnlyList<string> OrganizationEditors { get; } = [SystemAdmin, OrgDepartmentAdmin, StreetAdmin, CommunityWorker];

    /// <summary>Roles that may read the organization tree within their scope. The auditor reads only the audit
    /// log; a party member sees their own record through self-service.</summary>
    public static IReadOnlyList<string> OrganizationReaders { get; } =
        [SystemAdmin, SecurityAdmin, OrgDepartmentAdmin, StreetAdmin, CommunityWorker, GridWorker, DepartmentHandler];

    /// <summary>Roles whose assignment lets its holder write data in that subtree (the write scope). A
    /// read-only assignment (grid worker, department handler, member) never widens it.</summary>
    public static IReadOnlyList<string> DataWriters { get; } = [SystemAdmin, SecurityAdmin, OrgDepartmentAdmin, StreetAdmin, CommunityWorker];

    /// <summary>Roles that read the member registry within their scope (minimum access: not the three
    /// administrators, not department handlers, and a party member only through self-service).</summary>
    public static IReadOnlyList<string> MemberReaders { get; } = [OrgDepartmentAdmin, StreetAdmin, CommunityWorker, GridWorker];

    /// <summary>Roles that register and edit members.</summary>
    public static IReadOnlyList<string> MemberEditors { get; } = [OrgDepartmentAdmin, StreetAdmin, CommunityWorker];

    /// <summary>Staff see full ID numbers and phones when they reveal them (audited).</summary>
    public static IReadOnlyList<string> ProtectedFieldRevealers { get; } = [OrgDepartmentAdmin, StreetAdmin, CommunityWorker];
}
