using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Members;

/// <summary>Member counts for the organization rules, from the registry: one GROUP BY over members
/// (counted statuses only), then each organization sums its subtree by path.</summary>
public sealed class MemberRegistryCounts(IDbContextFactory<JicengDbContext> factory) : IMemberCountSource
{
    public async Task<IReadOnlyDictionary<Guid, MemberCounts>> GetCountsAsync(IReadOnlyCollection<Guid> organizationIds, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Scope = DataScope.Unrestricted;
        var direct = await db.Members.AsNoTracking().Where(m => PartyMembership.Current.Contains(m.Status))
            .GroupBy(m => m.OrganizationId)
            .Select(g => new { g.Key, Total = g.Count(), Full = g.Count(m => m.State == MemberState.Full) })
            .ToListAsync(ct);
        var paths = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Path }).ToDictionaryAsync(o => o.Id, o => o.Path, ct);
        var totals = new Dictionary<Guid, (int Total, int Full)>();
        foreach (var d in direct)
        {
            if (!paths.TryGetValue(d.Key, out var path)) continue;
            foreach (var ancestor in OrgPath.Ids(path))
            {
                var t = totals.GetValueOrDefault(ancestor);
                totals[ancestor] = (t.Total + d.Total, t.Full + d.Full);
            }
        }
        return organizationIds.ToDictionary(id => id, id => totals.TryGetValue(id, out var t) ? new MemberCounts(t.Total, t.Full) : new MemberCounts(0, 0));
    }
}
