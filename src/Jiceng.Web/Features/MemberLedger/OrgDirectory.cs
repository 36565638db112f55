using Jiceng.Data;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberLedger;

/// <summary>
/// Finds the organizations an import names. 所在党组织 is looked up only among the organizations in the
/// caller's scope (by full name, by "上级名称/名称" when names repeat, or by id); 居住社区 among all
/// communities, since a member may live outside the caller's area (as MemberService accepts any community id).
/// Loaded once per import, so that 100,000 rows cost no query each.
/// </summary>
public sealed class OrgDirectory
{
    private sealed record Org(Guid Id, string Name, OrganizationKind Kind, OrganizationStatus Status, Guid? ParentId);

    private readonly Dictionary<Guid, Org> _byId;
    private readonly Dictionary<string, List<Org>> _byName;
    private readonly Dictionary<Guid, string> _communityById;
    private readonly Dictionary<string, HashSet<Guid>> _communityByName;

    private OrgDirectory(List<Org> scoped, List<(Guid Id, string Name)> communities)
    {
        _byId = scoped.ToDictionary(o => o.Id);
        _byName = scoped.GroupBy(o => o.Name).ToDictionary(g => g.Key, g => g.ToList());
        _communityById = communities.ToDictionary(c => c.Id, c => c.Name);
        _communityByName = [];
        foreach (var (id, name) in communities)
            foreach (var key in CommunityKeys(name))
            {
                if (!_communityByName.TryGetValue(key, out var set)) _communityByName[key] = set = [];
                set.Add(id);
            }
    }

    /// <summary>"云溪社区党委" is also found as "云溪社区".</summary>
    private static IEnumerable<string> CommunityKeys(string name)
    {
        yield return name;
        foreach (var suffix in new[] { "党委", "党总支" })
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length) yield return name[..^suffix.Length];
    }

    public static async Task<OrgDirectory> LoadAsync(JicengDbContext db, CancellationToken ct)
    {
        var scoped = await db.Organizations.AsNoTracking()
            .Select(o => new Org(o.Id, o.Name, o.Kind, o.Status, o.ParentId)).ToListAsync(ct);
        // Residence may be any community of the deployment: resolving a name to an id, nothing is shown.
        var communities = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => (o.Kind == OrganizationKind.CommunityCommittee || o.Kind == OrganizationKind.GeneralBranch) && o.Status == OrganizationStatus.Active)
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        return new OrgDirectory(scoped, communities.Select(c => (c.Id, c.Name)).ToList());
    }

    /// <summary>Null and the id when found and able to hold members; otherwise the Chinese reason.</summary>
    public string? FindOrganization(string text, out Guid id)
    {
        id = default;
        Org? org;
        if (Guid.TryParse(text, out var byId))
        {
            if (!_byId.TryGetValue(byId, out org)) return "党组织不存在，或不在您的管理范围内";
        }
        else
        {
            var slash = text.LastIndexOf('/');
            var name = (slash >= 0 ? text[(slash + 1)..] : text).Trim();
            var parentName = slash >= 0 ? text[..slash].Trim() : null;
            if (!_byName.TryGetValue(name, out var candidates))
                return $"党组织“{text}”不存在，或不在您的管理范围内";
            if (parentName is not null)
            {
                var parentLast = parentName[(parentName.LastIndexOf('/') + 1)..].Trim();
                candidates = candidates.Where(c => c.ParentId is { } p && _byId.TryGetValue(p, out var parent) && parent.Name == parentLast).ToList();
                if (candidates.Count == 0) return $"在“{parentLast}”下没有名为“{name}”的党组织，或不在您的管理范围内";
            }
            var active = candidates.Where(c => c.Status == OrganizationStatus.Active).ToList();
            if (active.Count > 1) return $"您的管理范围内有{active.Count}个名为“{name}”的党组织，请写成“上级组织名称/{name}”或填写组织ID";
            org = active.Count == 1 ? active[0] : candidates[0];
        }
        if (org.Status == OrganizationStatus.Archived) return "该党组织已撤销";
        if (!MemberService.CanHoldMembers(org.Kind)) return "党员应编入党支部或党小组";
        id = org.Id;
        return null;
    }

    public string? FindCommunity(string text, out Guid id)
    {
        id = default;
        if (Guid.TryParse(text, out var byId))
        {
            if (!_communityById.ContainsKey(byId)) return "居住社区不存在";
            id = byId;
            return null;
        }
        if (!_communityByName.TryGetValue(text, out var ids)) return $"居住社区“{text}”不存在，请填写社区党委或社区党总支的名称";
        if (ids.Count > 1) return $"有{ids.Count}个名为“{text}”的社区，请填写全称或组织ID";
        id = ids.First();
        return null;
    }
}
