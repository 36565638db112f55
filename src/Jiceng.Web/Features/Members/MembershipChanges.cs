using Jiceng.Data;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Members;

/// <summary>
/// What changes with a member's place on the roll, in one place for every path that changes the status: 出党 (appraisal
/// follow-up, or 除名 of a suspended member), 取消预备党员资格 (development record), 转出 (receipt of a letter to outside), 已故 and
/// 停止党籍 (the member record).
/// </summary>
public static class MembershipChanges
{
    /// <summary>The alert subject types that name a member (dues arrears and mobile contact use "member", organizational life
    /// <c>nameof(Member)</c>).</summary>
    public static readonly string[] MemberAlertSubjects = ["member", nameof(Member)];

    /// <summary>
    /// The member leaves the roll (<see cref="PartyMembership.IsCurrent"/> becomes false) on <paramref name="on"/>: the status
    /// is set, an open mobile registration ends (not before it began), committee seats held on that day end then, an open
    /// 双报到 ends, the dues base ends (<see cref="DuesObligation.EndMonth"/>: nothing accrues while away, and a member who comes
    /// back is assessed anew), the absence streak goes back to zero (a member who comes back starts a new one), and the open
    /// alerts about the member are resolved (their rules count current members only, so they would not come back). Everything
    /// is added to the caller's context and saved with the change that caused it. The mobile registration, the seats, the
    /// dues and the alerts belong to the member's organization, which the caller writes to already.
    /// </summary>
    /// <remarks>
    /// The 双报到 belongs to the community where the member lives, usually outside the caller's scope. It is read past the
    /// filter by the member's id only, and its end date alone is authorized for writing (<see cref="JicengDbContext.AuthorizeUpdate"/>):
    /// the member's own organization, which takes them off the roll, ends the registration that rests on the membership;
    /// nothing else of the community is read or written. Audited <c>dual.end</c> as when the community ends it.
    /// </remarks>
    /// <param name="auditAction">The named action the member's change is audited under (<c>member.leave</c>,
    /// <c>development.cancel-probation</c>, <c>member.remove</c>), or null for a plain update (the transfer that carries it is
    /// audited itself).</param>
    public static async Task LeaveRollAsync(JicengDbContext db, Member member, MemberStatus status, DateOnly on, string? auditAction, CancellationToken ct)
    {
        if (PartyMembership.IsCurrent(status)) throw new ArgumentException($"{status} is a current status", nameof(status));
        var now = db.Clock.GetUtcNow();
        member.Status = status;
        member.UpdatedAt = now;
        if (auditAction is not null) db.AuditAs(member, auditAction);
        foreach (var r in await db.MobileRegistrations.Where(r => r.MemberId == member.Id && r.EndedOn == null).ToListAsync(ct))
            r.EndedOn = on < r.Since ? r.Since : on;
        foreach (var seat in await db.CommitteeSeats.Where(s => s.MemberId == member.Id && s.From <= on && (s.Until == null || s.Until > on)).ToListAsync(ct))
            seat.Until = on;
        // Past the filter on purpose (see remarks): the member's open registration only, its end date only.
        foreach (var dual in await db.DualRegistrations.IgnoreQueryFilters().Where(r => r.MemberId == member.Id && r.EndedOn == null).ToListAsync(ct))
        {
            dual.EndedOn = on < dual.RegisteredOn ? dual.RegisteredOn : on;
            db.AuthorizeUpdate(dual, nameof(DualRegistration.EndedOn));
            db.AuditAs(dual, "dual.end");
        }
        await EndDuesBaseAsync(db, member, on, now, ct);
        foreach (var streak in await db.AbsenceStreaks.Where(s => s.MemberId == member.Id && s.Count > 0).ToListAsync(ct))
            (streak.Count, streak.LastDate) = (0, null);
        await ResolveMemberAlertsAsync(db, member, now, ct);
    }

    /// <summary>Resolves the open alerts about the member (any rule whose subject is the member), added to the caller's save.</summary>
    public static async Task ResolveMemberAlertsAsync(JicengDbContext db, Member member, DateTimeOffset now, CancellationToken ct)
    {
        var subject = member.Id.ToString();
        foreach (var alert in await db.Alerts.Where(a => MemberAlertSubjects.Contains(a.SubjectType) && a.SubjectId == subject && a.ResolvedAt == null).ToListAsync(ct))
            alert.ResolvedAt = now;
    }

    /// <summary>An end row after the member's bases (they are never edited), from <see cref="DuesObligation.EndMonth"/>.</summary>
    private static async Task EndDuesBaseAsync(JicengDbContext db, Member member, DateOnly on, DateTimeOffset now, CancellationToken ct)
    {
        var bases = await db.DuesBases.AsNoTracking().Where(b => b.MemberId == member.Id)
            .Select(b => new { b.Category, Fact = new DuesBaseFact(b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough, b.Ended) })
            .ToListAsync(ct);
        if (DuesObligation.EndMonth(bases.Select(b => b.Fact), on) is not { } month) return;
        var latest = bases.OrderByDescending(b => b.Fact.EffectiveMonth).ThenByDescending(b => b.Fact.CreatedAt).First();
        db.DuesBases.Add(new DuesBase
        {
            Id = Guid.CreateVersion7(now), MemberId = member.Id, OrganizationId = member.OrganizationId, Category = latest.Category,
            MonthlyAmountFen = 0, EffectiveMonth = month, Ended = true, Rule = $"离开党员名册（{member.Status.ToChinese()}），自该月起停止计收党费",
            RecordedBy = db.Actor.UserName ?? "system", CreatedAt = now,
        });
    }
}

/// <summary>Members suspended (停止党籍) for 2 years without a decision (<see cref="SuspensionRule"/>), and suspended members whose
/// suspension date was never recorded (<see cref="SuspensionDateMissingRule"/>): the index on (Status, SuspendedOn) finds both
/// without reading the roll.</summary>
public sealed class SuspensionAlertRules : Alerts.IAlertRuleSet
{
    public async Task<IReadOnlyList<Domain.Alerts.AlertFinding>> EvaluateAsync(JicengDbContext db, Domain.Settings.ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        // A loose bound for the database (29 Feb); the rule decides exactly.
        var bound = today.AddYears(-SuspensionRule.DecisionYears).AddDays(1);
        var rows = await db.Members.AsNoTracking()
            .Where(m => m.Status == MemberStatus.Suspended && (m.SuspendedOn == null || m.SuspendedOn <= bound))
            .Select(m => new { m.Id, m.Name, m.OrganizationId, m.SuspendedOn }).ToListAsync(ct);
        return rows.Select(r => r.SuspendedOn is { } on
                ? SuspensionRule.Evaluate(r.Id, r.Name, r.OrganizationId, on, today)
                : SuspensionDateMissingRule.Evaluate(r.Id, r.Name, r.OrganizationId))
            .OfType<Domain.Alerts.AlertFinding>().ToList();
    }
}
