using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberCare;

public sealed class PointItemInput
{
    public Guid? OrganizationId { get; set; }
    public string? Name { get; set; }
    public int? Points { get; set; }
}

public sealed class PointRecordInput
{
    public Guid? MemberId { get; set; }
    public Guid? PointItemId { get; set; }
    public DateOnly? Date { get; set; }
    public string? Evidence { get; set; }
}

public sealed record PointItemView(Guid Id, Guid OrganizationId, string OrganizationName, string Name, int Points, bool Active);

public sealed record PointRecordView(Guid Id, Guid MemberId, string MemberName, Guid OrganizationId, string OrganizationName, Guid PointItemId,
    string ItemName, int Points, DateOnly Date, string Evidence, string ConfirmedBy);

/// <summary>One member's points in one year. Deliberately no rank: the list is sorted by name.</summary>
public sealed record PointTotal(Guid MemberId, string MemberName, string OrganizationName, int Total, int Records);

/// <summary>
/// 党员量化积分 for contributions. Items are defined by a branch (or a committee above it) and apply to
/// the members of its subtree; each record carries evidence and the name of the staff member who
/// confirmed it. 国办函〔2026〕12号 (rules.md §8): no items for app activity
/// (<see cref="ContributionPointRules"/>), no ranking — totals per member sorted by name only.
/// </summary>
public sealed class PointService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock)
{
    /// <summary>Items that apply to an organization: those defined on it or above it, and those defined below it.</summary>
    public async Task<Outcome<List<PointItemView>>> ItemsAsync(Guid? orgId, bool includeInactive, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var q = db.PointItems.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<List<PointItemView>>.Missing;
            var end = OrgPath.RangeEnd(path);
            var ancestors = OrgPath.Ids(path).ToList();
            q = q.Where(i => ancestors.Contains(i.OrganizationId) || OrgSubtree.InRange(i.Organization!.Path, path, end));
        }
        if (!includeInactive) q = q.Where(i => i.Active);
        return await q.OrderBy(i => i.Organization!.Depth).ThenBy(i => i.Name)
            .Select(i => new PointItemView(i.Id, i.OrganizationId, i.Organization!.Name, i.Name, i.Points, i.Active)).Take(500).ToListAsync(ct);
    }

    public async Task<Outcome<PointItemView>> CreateItemAsync(PointItemInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var e = new FieldErrors();
        foreach (var (field, message) in ContributionPointRules.CheckItem(input.Name, input.Points)) e.Add(field, message);
        if (input.OrganizationId is not { } orgId) e.Add("organizationId", "请选择设置积分项目的党组织");
        else
        {
            var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Kind, o.Status }).FirstOrDefaultAsync(ct);
            if (org is null) e.Add("organizationId", "党组织不存在或不在您的管理范围内");
            else if (org.Kind == OrganizationKind.PartyGroup) e.Add("organizationId", "积分项目由党支部或上级党组织设置，党小组不单独设置");
            else if (org.Status == OrganizationStatus.Archived) e.Add("organizationId", "该党组织已撤销");
            else if (!e.Any && input.Name is { } n && await db.PointItems.AnyAsync(i => i.OrganizationId == orgId && i.Active && i.Name == n.Trim(), ct))
                e.Add("name", "本组织已有同名的积分项目");
        }
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var item = new PointItem { Id = Guid.CreateVersion7(now), OrganizationId = input.OrganizationId!.Value, Name = input.Name!.Trim(), Points = input.Points!.Value, CreatedAt = now };
        db.PointItems.Add(item);
        await db.SaveChangesAsync(ct);
        return await db.PointItems.AsNoTracking().Where(i => i.Id == item.Id)
            .Select(i => new PointItemView(i.Id, i.OrganizationId, i.Organization!.Name, i.Name, i.Points, i.Active)).FirstAsync(ct);
    }

    /// <summary>Stops using an item; records already given keep it.</summary>
    public async Task<Outcome<PointItemView>> DeactivateItemAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var item = await db.PointItems.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null) return Outcome<PointItemView>.Missing;
        if (item.Active)
        {
            item.Active = false;
            db.AuditAs(item, "points.item.deactivate");
            await db.SaveChangesAsync(ct);
        }
        return await db.PointItems.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new PointItemView(i.Id, i.OrganizationId, i.Organization!.Name, i.Name, i.Points, i.Active)).FirstAsync(ct);
    }

    public async Task<Outcome<PointRecordView>> RecordAsync(PointRecordInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors().Required("evidence", input.Evidence, "佐证说明").MaxLength("evidence", input.Evidence?.Trim(), 500, "佐证说明");
        if (input.Date is not { } date) e.Add("date", "请填写日期");
        else if (date > today) e.Add("date", "日期不能晚于今天");
        else if (date.Year < today.Year - 1) e.Add("date", "只能补记上一年度以来的积分");
        var member = input.MemberId is { } memberId
            ? await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.Id, m.OrganizationId, m.Status, Path = m.Organization!.Path }).FirstOrDefaultAsync(ct)
            : null;
        if (input.MemberId is null) e.Add("memberId", "请选择党员");
        else if (member is null) e.Add("memberId", MemberCareCommon.MemberNotFound);
        else if (!PartyMembership.IsCurrent(member.Status)) e.Add("memberId", $"该党员当前状态为“{member.Status.ToChinese()}”，不能记积分");
        var item = input.PointItemId is { } itemId
            ? await db.PointItems.AsNoTracking().Where(i => i.Id == itemId).Select(i => new { i.Id, i.Points, i.Active, Path = i.Organization!.Path }).FirstOrDefaultAsync(ct)
            : null;
        if (input.PointItemId is null) e.Add("pointItemId", "请选择积分项目");
        else if (item is null) e.Add("pointItemId", "积分项目不存在或不在您的管理范围内");
        else if (!item.Active) e.Add("pointItemId", "该积分项目已停用");
        else if (member is not null && !OrgPath.IsWithin(member.Path, item.Path)) e.Add("pointItemId", "该积分项目不适用于该党员所在的党组织");
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var record = new PointRecord
        {
            Id = Guid.CreateVersion7(now), OrganizationId = member!.OrganizationId, MemberId = member.Id, PointItemId = item!.Id, Points = item.Points,
            Date = input.Date!.Value, Evidence = input.Evidence!.Trim(), ConfirmedBy = await user.StaffNameAsync(), CreatedAt = now,
        };
        db.PointRecords.Add(record);
        await db.SaveChangesAsync(ct);
        return await ProjectRecords(db.PointRecords.AsNoTracking().Where(r => r.Id == record.Id)).FirstAsync(ct);
    }

    public async Task<Outcome<PagedList<PointRecordView>>> RecordsAsync(Guid? orgId, Guid? memberId, int? year, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        CheckYear(year, errors);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = db.PointRecords.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<PointRecordView>>.Missing;
            q = InSubtree(q, path);
        }
        if (memberId is { } mid) q = q.Where(r => r.MemberId == mid);
        if (year is { } y) q = InYear(q, y);
        var total = await q.CountAsync(ct);
        var items = await ProjectRecords(q.OrderByDescending(r => r.Date).ThenByDescending(r => r.Id).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedList<PointRecordView>(items, total, page, pageSize);
    }

    /// <summary>Yearly totals per member of a subtree, sorted by name (never by points: no ranking).</summary>
    public async Task<Outcome<PagedList<PointTotal>>> TotalsAsync(Guid? orgId, int? year, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        CheckYear(year, errors);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = InYear(db.PointRecords.AsNoTracking(), year ?? clock.Today().Year);
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<PointTotal>>.Missing;
            q = InSubtree(q, path);
        }
        var grouped = q.GroupBy(r => new { r.MemberId, r.Member!.Name, OrgName = r.Member.Organization!.Name })
            .Select(g => new { g.Key.MemberId, g.Key.Name, g.Key.OrgName, Total = g.Sum(r => r.Points), Records = g.Count() });
        var total = await grouped.CountAsync(ct);
        var rows = await grouped.OrderBy(g => g.Name).ThenBy(g => g.MemberId).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new PagedList<PointTotal>(rows.Select(r => new PointTotal(r.MemberId, r.Name, r.OrgName, r.Total, r.Records)).ToList(), total, page, pageSize);
    }

    private static void CheckYear(int? year, FieldErrors e)
    {
        if (year is < 2000 or > 2100) e.Add("year", "年度须在2000到2100之间");
    }

    internal static IQueryable<PointRecord> InYear(IQueryable<PointRecord> q, int year)
    {
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        return q.Where(r => r.Date >= from && r.Date <= to);
    }

    private static IQueryable<PointRecord> InSubtree(IQueryable<PointRecord> q, string path)
    {
        return q.InSubtree(path, r => r.Organization!.Path);
    }

    internal static IQueryable<PointRecordView> ProjectRecords(IQueryable<PointRecord> q) =>
        q.Select(r => new PointRecordView(r.Id, r.MemberId, r.Member!.Name, r.OrganizationId, r.Organization!.Name, r.PointItemId, r.PointItem!.Name,
            r.Points, r.Date, r.Evidence, r.ConfirmedBy));
}
