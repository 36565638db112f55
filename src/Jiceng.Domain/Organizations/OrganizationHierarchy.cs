namespace Jiceng.Domain.Organizations;

/// <summary>Which kind of organization may sit under which (街道党工委 - 社区党委/党总支 - 网格党支部 - 楼栋党小组,
/// seed 001; 党章 第三十条). Returns the Chinese reason a placement is refused, or null.</summary>
public static class OrganizationHierarchy
{
    public static string? CheckPlacement(OrganizationKind? parentKind, OrganizationKind childKind)
    {
        if (parentKind is null)
            return childKind.IsCommitteeLevel() ? null : $"{childKind.ToChinese()}必须有上级组织";
        if (childKind == OrganizationKind.DistrictCommittee)
            return "区委只能作为最上级组织";
        if (parentKind == OrganizationKind.PartyGroup)
            return "党小组下不能再设组织";
        if (childKind == OrganizationKind.PartyGroup && !(parentKind.Value.IsBranchLike() || parentKind == OrganizationKind.GeneralBranch))
            return "党小组只能设在党支部或党总支之下";
        if (parentKind.Value.IsBranchLike() && childKind != OrganizationKind.PartyGroup)
            return "党支部之下只能设党小组";
        return null;
    }
}
