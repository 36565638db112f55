using Jiceng.Data.Scope;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Home;

public sealed record KindCount(OrganizationKind Kind, string KindName, int Count);
public sealed record Overview(Guid OrganizationId, string OrganizationName, IReadOnlyList<KindCount> Organizations, int OpenAlerts, int CriticalAlerts);

/// <summary>The home page's figures for the organization in focus, counted from the records (never typed in).</summary>
public sealed class OverviewService(ScopedDbFactory dbs)
{
    public async Task<Overview?> ForAsync(Guid orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Name, o.Path }).FirstOrDefaultAsync(ct);
        if (org is null) return null;
        var kinds = await db.Organizations.AsNoTracking().InSubtree(org.Path, o => o.Path)
            .Where(o => o.Status == OrganizationStatus.Active)
            .GroupBy(o => o.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var alerts = await db.Alerts.AsNoTracking()
            .InSubtree(org.Path, a => a.Organization!.Path).Where(a => a.ResolvedAt == null)
            .GroupBy(a => a.Severity).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new Overview(orgId, org.Name,
            kinds.OrderBy(k => k.Key).Select(k => new KindCount(k.Key, k.Key.ToChinese(), k.Count)).ToList(),
            alerts.Sum(a => a.Count), alerts.Where(a => a.Key == AlertSeverity.Critical).Sum(a => a.Count));
    }
}
