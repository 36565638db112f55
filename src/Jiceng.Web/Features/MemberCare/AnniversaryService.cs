using Jiceng.Data.Scope;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberCare;

/// <param name="Years">Years since joining (入党N周年) on that date.</param>
/// <param name="PartyAge">党龄 today, counted from 转正 (null for a probationary member).</param>
public sealed record AnniversaryView(Guid MemberId, string Name, Guid OrganizationId, string OrganizationName, DateOnly JoinedOn, DateOnly Anniversary,
    int Years, int? PartyAge, MemberState State, string StateName);

public sealed record AnniversaryList(DateOnly From, DateOnly To, IReadOnlyList<AnniversaryView> Items, int Total, int Page, int PageSize);

/// <summary>政治生日: members of a subtree whose joining anniversary falls in the next N days, for
/// greeting cards. The database answers from the (organization, JoinedMonthDay) index through
/// <see cref="AnniversaryWindow"/>; the date itself comes from <see cref="MemberRules.NextAnniversary"/>.</summary>
public sealed class AnniversaryService(ScopedDbFactory dbs, TimeProvider clock)
{
    public async Task<Outcome<AnniversaryList>> ListAsync(Guid? orgId, int? days, int page, int pageSize, CancellationToken ct = default)
    {
        var e = Paging.Check(page, pageSize);
        var n = days ?? AnniversaryWindow.DefaultDays;
        if (n is < 1 or > AnniversaryWindow.MaxDays) e.Add("days", $"天数须在1到{AnniversaryWindow.MaxDays}之间");
        if (e.Any) return e;
        var today = clock.Today();
        var w = AnniversaryWindow.For(today, n);
        await using var db = await dbs.CreateAsync(ct);
        var q = db.Members.AsNoTracking().Where(m => PartyMembership.Current.Contains(m.Status) && m.JoinedOn < today);
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<AnniversaryList>.Missing;
            q = q.InSubtree(path, m => m.Organization!.Path);
        }
        int f1 = w.FirstFrom, t1 = w.FirstTo, f2 = w.SecondFrom, t2 = w.SecondTo;
        var feb29 = w.IncludeFeb29;
        q = q.Where(m => (m.JoinedMonthDay >= f1 && m.JoinedMonthDay <= t1) || (m.JoinedMonthDay >= f2 && m.JoinedMonthDay <= t2)
            || (feb29 && m.JoinedMonthDay == AnniversaryWindow.Feb29));
        var total = await q.CountAsync(ct);
        // Date order within the window: month-days before the window's start belong to next year.
        var rows = await q.OrderBy(m => m.JoinedMonthDay < f1 ? 1 : 0).ThenBy(m => m.JoinedMonthDay).ThenBy(m => m.Name).ThenBy(m => m.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(m => new { m.Id, m.Name, m.OrganizationId, OrgName = m.Organization!.Name, m.JoinedOn, m.FullMemberOn, m.State })
            .ToListAsync(ct);
        var items = rows.Select(m =>
        {
            var (date, years) = w.AnniversaryOf(m.JoinedOn);
            return new AnniversaryView(m.Id, m.Name, m.OrganizationId, m.OrgName, m.JoinedOn, date, years,
                MemberRules.PartyAge(m.State, m.FullMemberOn, today), m.State, m.State.ToChinese());
        }).ToList();
        return new AnniversaryList(w.From, w.To, items, total, page, pageSize);
    }
}
