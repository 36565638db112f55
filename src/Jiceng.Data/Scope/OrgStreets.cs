using Microsoft.EntityFrameworkCore;
using Jiceng.Domain.Organizations;

namespace Jiceng.Data.Scope;

/// <summary>
/// The street (街道党工委) an organization lies in: the organization itself or the one ancestor of that kind on its path;
/// null above or beside the streets (the district, an enterprise organization directly under it). Read through here so
/// that a case's <see cref="Domain.Cases.Case.StreetId"/> and the list that filters by it agree.
/// </summary>
public static class OrgStreets
{
    /// <summary>The street of the organization with this path (the path lists the organization and its ancestors).</summary>
    public static Task<Guid?> StreetOfPathAsync(this JicengDbContext db, string path, CancellationToken ct)
    {
        var ids = OrgPath.Ids(path).ToList();
        return db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => ids.Contains(o.Id) && o.Kind == OrganizationKind.StreetWorkingCommittee)
            .Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The street of the organization with this id; null as well for an unknown id.</summary>
    public static async Task<Guid?> StreetOfAsync(this JicengDbContext db, Guid organizationId, CancellationToken ct)
    {
        var path = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Path).FirstOrDefaultAsync(ct);
        return path is null ? null : await db.StreetOfPathAsync(path, ct);
    }
}
