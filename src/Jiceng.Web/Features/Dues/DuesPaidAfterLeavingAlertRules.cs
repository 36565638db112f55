using Jiceng.Data;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
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
    /// <summary>Off the roll and not transferred out: the statuses whose dues simply end (<see cref="DuesPaidAfterEndRule"/>).</summary>
    private static readonly MemberStatus[] Ended = [MemberStatus.Suspended, MemberStatus.Deceased, MemberStatus.LeftParty, MemberStatus.ProbationCancelled];

    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var candidates = await db.Members.AsNoTracking()
            .Where(m => Ended.Contains(m.Status)
                && db.DuesBases.Any(b => b.MemberId == m.Id && b.Ended && db.DuesPaymentMonths.Any(p => p.MemberId == m.Id && p.Month >= b.EffectiveMonth)))
            .Select(m => new { m.Id, m.Name, m.OrganizationId, m.Status }).ToListAsync(ct);
        if (candidates.Count == 0) return [];
        var ids = candidates.Select(c => c.Id).ToList();
        var lastBases = (await db.DuesBases.AsNoTracking().Where(b => ids.Contains(b.MemberId))
                .Select(b => new { b.MemberId, b.EffectiveMonth, b.CreatedAt, b.Ended }).ToListAsync(ct))
            .GroupBy(b => b.MemberId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(b => b.EffectiveMonth).ThenByDescending(b => b.CreatedAt).First());
        var paid = (await db.DuesPaymentMonths.AsNoTracking().Where(p => ids.Contains(p.MemberId))
                .Select(p => new { p.MemberId, p.Month, p.AmountFen }).ToListAsync(ct))
            .ToLookup(p => p.MemberId, p => (p.Month, p.AmountFen));
        var findings = new List<AlertFinding>();
        foreach (var c in candidates)
        {
            // Only the latest base's end counts: a member restored and assessed anew has a later, current base.
            if (!lastBases.TryGetValue(c.Id, out var last) || !last.Ended) continue;
            if (DuesPaidAfterEndRule.Evaluate(c.Id, c.Name, c.OrganizationId, c.Status, last.EffectiveMonth, paid[c.Id]) is { } finding)
                findings.Add(finding);
        }
        return findings;
    }
}
