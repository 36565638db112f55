using Jiceng.Data;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Dues;

/// <summary>A member with their dues facts, as loaded for a subtree.</summary>
public sealed record MemberDuesFacts(Guid MemberId, string Name, Guid OrganizationId, string OrganizationName, string OrganizationPath, DuesFacts Facts);

/// <summary>
/// Loads dues facts for many members at once: a handful of set-based queries joined in memory (never one
/// query per member). The members query carries the caller's scope; the dues tables are then read by member,
/// so their own scope filters (the same subtree) need not be joined again.
/// </summary>
internal static class DuesData
{
    public static async Task<List<MemberDuesFacts>> LoadAsync(JicengDbContext db, IQueryable<Member> members, DateOnly today, CancellationToken ct, bool withPaidThrough = true)
    {
        var people = await members.AsNoTracking()
            .Select(m => new { m.Id, m.Name, m.OrganizationId, OrgName = m.Organization!.Name, OrgPath = m.Organization.Path, m.JoinedOn, m.Status })
            .ToListAsync(ct);
        if (people.Count == 0) return [];
        var ids = members.Select(m => m.Id);
        var bases = (await db.DuesBases.IgnoreQueryFilters().AsNoTracking().Where(b => ids.Contains(b.MemberId))
                .Select(b => new { b.MemberId, b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough }).ToListAsync(ct))
            .ToLookup(b => b.MemberId, b => new DuesBaseFact(b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough));
        var adjustments = (await db.DuesAdjustments.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.MemberId))
                .Select(a => new { a.MemberId, a.Kind, a.MonthlyAmountFen, a.FromMonth, a.ToMonth, a.RevokedFromMonth }).ToListAsync(ct))
            .Where(a => DuesAdjustmentRevocation.Applies(a.FromMonth, a.ToMonth, a.RevokedFromMonth))
            .ToLookup(a => a.MemberId, a => new DuesAdjustmentFact(a.Kind, a.MonthlyAmountFen, a.FromMonth, DuesAdjustmentRevocation.EffectiveTo(a.ToMonth, a.RevokedFromMonth)));
        var lastPaid = withPaidThrough
            ? await db.DuesPaymentMonths.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.MemberId))
                .GroupBy(p => p.MemberId).Select(g => new { g.Key, Last = g.Max(p => p.Month) }).ToDictionaryAsync(g => g.Key, g => (DateOnly?)g.Last, ct)
            : [];
        return people.Select(p =>
        {
            var b = bases[p.Id].ToList();
            var facts = new DuesFacts(p.Id, p.Name, p.OrganizationId, p.JoinedOn, p.Status, b, adjustments[p.Id].ToList(),
                DuesObligation.PaidThrough(lastPaid.GetValueOrDefault(p.Id), b));
            return new MemberDuesFacts(p.Id, p.Name, p.OrganizationId, p.OrgName, p.OrgPath, facts);
        }).ToList();
    }
}
