using Jiceng.Data;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Dues;

/// <summary>
/// Months paid after the dues ended with a member's leaving the roll (<see cref="DuesPaidAfterEndRule"/>). The candidates are
/// found from the roll's few former members (the status index) with a paid month at or after one of their end rows (both by the
/// member's indexes); only those are loaded and decided by the rule, against their latest base.
/// </summary>
public sealed class DuesPaidAfterLeavingAlertRules : IAlertRuleSet
{
    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var candidates = await db.Members.AsNoTracking()
            .Where(m => DuesPaidAfterEndRule.Statuses.Contains(m.Status)
                && db.DuesBases.Any(b => b.MemberId == m.Id && b.Ended && db.DuesPaymentMonths.Any(p => p.MemberId == m.Id && p.Month >= b.EffectiveMonth)))
            .Select(m => new { m.Id, m.Name, m.OrganizationId, m.Status }).ToListAsync(ct);
        if (candidates.Count == 0) return [];
        var ids = candidates.Select(c => c.Id).ToList();
        var bases = (await db.DuesBases.AsNoTracking().Where(b => ids.Contains(b.MemberId))
                .Select(b => new { b.MemberId, Fact = new DuesBaseFact(b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough, b.Ended) }).ToListAsync(ct))
            .ToLookup(b => b.MemberId, b => b.Fact);
        var paid = (await db.DuesPaymentMonths.AsNoTracking().Where(p => ids.Contains(p.MemberId))
                .Select(p => new { p.MemberId, p.Month, p.AmountFen }).ToListAsync(ct))
            .ToLookup(p => p.MemberId, p => (p.Month, p.AmountFen));
        // Only the latest base's end counts: a member restored and assessed anew has a later, current base.
        return candidates
            .Select(c => DuesObligation.EndedFrom(bases[c.Id]) is { } end ? DuesPaidAfterEndRule.Evaluate(c.Id, c.Name, c.OrganizationId, c.Status, end, paid[c.Id]) : null)
            .OfType<AlertFinding>().ToList();
    }
}
