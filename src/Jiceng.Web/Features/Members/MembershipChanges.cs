using Jiceng.Data;
using Jiceng.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Members;

/// <summary>
/// What changes with a member's place on the roll, in one place for every path that changes the status: 出党 (appraisal
/// follow-up), 取消预备党员资格 (development record), 转出 (receipt of a letter to outside), 已故 and 停止党籍 (the member record).
/// </summary>
public static class MembershipChanges
{
    /// <summary>The alert subject types that name a member (dues arrears and mobile contact use "member", organizational life
    /// <c>nameof(Member)</c>).</summary>
    public static readonly string[] MemberAlertSubjects = ["member", nameof(Member)];

    /// <summary>
    /// The member leaves the roll (<see cref="PartyMembership.IsCurrent"/> becomes false) on <paramref name="on"/>: the status
    /// is set, an open mobile registration ends (not before it began), committee seats held on that day end then, and the open
    /// alerts about the member are resolved (their rules count current members only, so they would not come back). Everything
    /// is added to the caller's context and saved with the change that caused it. The mobile registration, the seats and the
    /// alerts belong to the member's organization, which the caller writes to already. A 双报到 with a community elsewhere is
    /// that community's record and is left to it.
    /// </summary>
    /// <param name="auditAction">The named action the member's change is audited under (<c>member.leave</c>,
    /// <c>development.cancel-probation</c>), or null for a plain update (the transfer that carries it is audited itself).</param>
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
        var subject = member.Id.ToString();
        foreach (var alert in await db.Alerts.Where(a => MemberAlertSubjects.Contains(a.SubjectType) && a.SubjectId == subject && a.ResolvedAt == null).ToListAsync(ct))
            alert.ResolvedAt = now;
    }
}
