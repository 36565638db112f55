using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberCare;

public sealed record MyPointRecord(DateOnly Date, string ItemName, int Points, string Evidence, string ConfirmedBy);

public sealed record MyPoints(int Year, int Total, IReadOnlyList<MyPointRecord> Records);

public sealed record MyMobile(string Location, DateOnly Since, string ContactPerson, DateOnly? ExpectedReturn, DateOnly LastContactOn);

public sealed record MyService(DateOnly Date, string Content, string? ConfirmedBy);

public sealed record MyDual(string CommunityName, DateOnly RegisteredOn, string? ServiceIntent, IReadOnlyList<MyService> Services);

public sealed record MyCorrection(Guid Id, string Content, CorrectionStatus Status, string StatusName, string? Reply, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt);

/// <summary>A party member's own record as they see it: protected fields masked, never in full.</summary>
public sealed record MyRecord(Guid Id, string Name, string OrganizationName, MemberState State, string StateName, MemberStatus Status, string StatusName,
    DateOnly JoinedOn, DateOnly? FullMemberOn, int? PartyAge, DateOnly NextAnniversary, string IdNumberMasked, string? PhoneMasked,
    MyPoints Points, MyMobile? Mobile, MyDual? Dual, IReadOnlyList<MyCorrection> Corrections);

public sealed record CorrectionInput(string? Content);

public sealed record ResolveInput(CorrectionStatus? Status, string? Reply);

public sealed record CorrectionView(Guid Id, Guid MemberId, string MemberName, Guid OrganizationId, string OrganizationName, string Content,
    CorrectionStatus Status, string StatusName, string? Reply, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt);

public static class CorrectionNames
{
    public static string ToChinese(this CorrectionStatus s) => s switch
    {
        CorrectionStatus.Open => "待处理",
        CorrectionStatus.Done => "已更正",
        CorrectionStatus.Declined => "不予更正",
        _ => s.ToString(),
    };
}

/// <summary>
/// Self-service for a party member (role 党员) and the branch's side of their correction requests.
/// A member's account is bound to a grid or branch for navigation, but what a member may see is their
/// own record, nothing else of that subtree. So the member side never uses the account's org scope:
/// it reads the account's <c>MemberId</c> from the database (never from the request) and every query
/// is keyed on that id, through an unrestricted context (their 双报到 community, for instance, is
/// usually outside any scope the account holds).
/// </summary>
public sealed class SelfService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock)
{
    public const int MaxOpenCorrections = 5;


    public async Task<MyRecord?> MeAsync(CancellationToken ct = default)
    {
        if (await user.OwnMemberIdAsync(ct) is not { } memberId) return null;
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        var m = await db.Members.AsNoTracking().Where(x => x.Id == memberId)
            .Select(x => new { x.Id, x.Name, OrgName = x.Organization!.Name, x.State, x.Status, x.JoinedOn, x.FullMemberOn, x.IdNumberMasked, x.PhoneMasked })
            .FirstOrDefaultAsync(ct);
        if (m is null) return null;
        var today = clock.Today();
        var records = await PointService.InYear(db.PointRecords.AsNoTracking().Where(r => r.MemberId == memberId), today.Year)
            .OrderByDescending(r => r.Date).ThenByDescending(r => r.Id)
            .Select(r => new MyPointRecord(r.Date, r.PointItem!.Name, r.Points, r.Evidence, r.ConfirmedBy)).ToListAsync(ct);
        var mobile = await db.MobileRegistrations.AsNoTracking().Where(r => r.MemberId == memberId && r.EndedOn == null)
            .OrderByDescending(r => r.Since).Select(r => new MyMobile(r.Location, r.Since, r.ContactPerson, r.ExpectedReturn, r.LastContactOn)).FirstOrDefaultAsync(ct);
        var dual = await db.DualRegistrations.AsNoTracking().Where(r => r.MemberId == memberId && r.EndedOn == null)
            .OrderByDescending(r => r.RegisteredOn).Select(r => new { r.OrganizationId, r.Organization!.Name, r.RegisteredOn, r.ServiceIntent }).FirstOrDefaultAsync(ct);
        MyDual? myDual = null;
        if (dual is not null)
        {
            var services = await db.ServiceRecords.AsNoTracking().Where(s => s.MemberId == memberId && s.OrganizationId == dual.OrganizationId)
                .OrderByDescending(s => s.Date).Take(50).Select(s => new MyService(s.Date, s.Content, s.ConfirmedBy)).ToListAsync(ct);
            myDual = new MyDual(dual.Name, dual.RegisteredOn, dual.ServiceIntent, services);
        }
        var corrections = await db.CorrectionRequests.AsNoTracking().Where(c => c.MemberId == memberId)
            .OrderByDescending(c => c.CreatedAt).Take(20)
            .Select(c => new { c.Id, c.Content, c.Status, c.Reply, c.CreatedAt, c.ResolvedAt }).ToListAsync(ct);
        return new MyRecord(m.Id, m.Name, m.OrgName, m.State, m.State.ToChinese(), m.Status, m.Status.ToChinese(), m.JoinedOn, m.FullMemberOn,
            MemberRules.PartyAge(m.State, m.FullMemberOn, today), MemberRules.NextAnniversary(m.JoinedOn, today), m.IdNumberMasked, m.PhoneMasked,
            new MyPoints(today.Year, records.Sum(r => r.Points), records), mobile, myDual,
            corrections.Select(c => new MyCorrection(c.Id, c.Content, c.Status, c.Status.ToChinese(), c.Reply, c.CreatedAt, c.ResolvedAt)).ToList());
    }

    /// <summary>A member asks their branch to correct their record.</summary>
    public async Task<Outcome<MyCorrection>> RequestCorrectionAsync(CorrectionInput input, CancellationToken ct = default)
    {
        if (await user.OwnMemberIdAsync(ct) is not { } memberId) return Outcome<MyCorrection>.Missing;
        var e = new FieldErrors().Required("content", input.Content, "更正内容").MaxLength("content", input.Content?.Trim(), 500, "更正内容");
        if (e.Any) return e;
        // Unrestricted, because the request belongs to the member's organization, which the member's
        // account does not necessarily hold as a scope; safe because the member id was just read from
        // the signed-in account and the organization is taken from that member's own record, never from
        // the request. The audit record still names the member as the actor.
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        db.Actor = await user.GetActorAsync();
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.Id, m.OrganizationId }).FirstOrDefaultAsync(ct);
        if (member is null) return Outcome<MyCorrection>.Missing;
        if (await db.CorrectionRequests.CountAsync(c => c.MemberId == memberId && c.Status == CorrectionStatus.Open, ct) >= MaxOpenCorrections)
            return e.Add("content", $"您已有{MaxOpenCorrections}条待处理的更正申请，请等待党支部答复后再提交");
        var now = clock.GetUtcNow();
        var request = new CorrectionRequest
        {
            Id = Guid.CreateVersion7(now), MemberId = member.Id, OrganizationId = member.OrganizationId, Content = input.Content!.Trim(), CreatedAt = now,
        };
        db.CorrectionRequests.Add(request);
        await db.SaveChangesAsync(ct);
        return new MyCorrection(request.Id, request.Content, request.Status, request.Status.ToChinese(), null, request.CreatedAt, null);
    }

    // ------------------------------------------------------------------ the branch's side (scoped)

    public async Task<Outcome<PagedList<CorrectionView>>> ListAsync(Guid? orgId, CorrectionStatus? status, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = db.CorrectionRequests.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<CorrectionView>>.Missing;
            q = q.InSubtree(path, c => c.Organization!.Path);
        }
        if (status is { } s) q = q.Where(c => c.Status == s);
        var total = await q.CountAsync(ct);
        var items = await Project(q.OrderBy(c => c.Status).ThenBy(c => c.CreatedAt).ThenBy(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedList<CorrectionView>(items.Select(Named).ToList(), total, page, pageSize);
    }

    public async Task<Outcome<CorrectionView>> ResolveAsync(Guid id, ResolveInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var request = await db.CorrectionRequests.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (request is null) return Outcome<CorrectionView>.Missing;
        var e = new FieldErrors().Required("reply", input.Reply, "答复").MaxLength("reply", input.Reply?.Trim(), 500, "答复");
        if (input.Status is not (CorrectionStatus.Done or CorrectionStatus.Declined)) e.Add("status", "请选择处理结果（已更正或不予更正）");
        if (request.Status != CorrectionStatus.Open) e.Add("status", "该申请已处理");
        if (e.Any) return e;
        request.Status = input.Status!.Value;
        request.Reply = input.Reply!.Trim();
        request.ResolvedAt = clock.GetUtcNow();
        db.AuditAs(request, "correction.resolve");
        await db.SaveChangesAsync(ct);
        return Named(await Project(db.CorrectionRequests.AsNoTracking().Where(c => c.Id == id)).FirstAsync(ct));
    }

    private static IQueryable<CorrectionView> Project(IQueryable<CorrectionRequest> q) =>
        q.Select(c => new CorrectionView(c.Id, c.MemberId, c.Member!.Name, c.OrganizationId, c.Organization!.Name, c.Content, c.Status, "", c.Reply,
            c.CreatedAt, c.ResolvedAt));

    private static CorrectionView Named(CorrectionView v) => v with { StatusName = v.Status.ToChinese() };
}
