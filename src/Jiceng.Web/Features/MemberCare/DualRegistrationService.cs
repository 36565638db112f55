using Jiceng.Data.Scope;
using System.Text.RegularExpressions;
using Jiceng.Data;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberCare;

public sealed class MemberLookupInput
{
    public string? IdNumber { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
}

/// <summary>Just enough for community staff to confirm they have the right person; nothing else.</summary>
public sealed record MemberLookupResult(Guid MemberId, string Name, string IdNumberMasked, string? WorkUnit, string OrganizationName, bool AlreadyRegistered);

public sealed class DualRegistrationInput
{
    public Guid? MemberId { get; set; }
    public Guid? CommunityId { get; set; }
    public DateOnly? RegisteredOn { get; set; }
    public string? ServiceIntent { get; set; }
}

public sealed record DualRegistrationView(Guid Id, Guid MemberId, string MemberName, string? PhoneMasked, string? WorkUnit, string MemberOrganizationName,
    Guid CommunityId, string CommunityName, DateOnly RegisteredOn, string? ServiceIntent, DateOnly? EndedOn, int ServiceCount, DateOnly? LastServiceOn);

public sealed class ServiceRecordInput
{
    public Guid? DualRegistrationId { get; set; }
    public DateOnly? Date { get; set; }
    public string? Content { get; set; }
}

public sealed record ServiceRecordView(Guid Id, Guid MemberId, string MemberName, Guid OrganizationId, string OrganizationName, DateOnly Date,
    string Content, string? ConfirmedBy);

public sealed class UnitRegistrationInput
{
    public Guid? CommunityId { get; set; }
    public string? UnitName { get; set; }
    public string? ContactPerson { get; set; }
    public string? ContactPhone { get; set; }
    public string? ResourcesOffered { get; set; }
    public DateOnly? RegisteredOn { get; set; }
}

public sealed record UnitRegistrationView(Guid Id, Guid CommunityId, string CommunityName, string UnitName, string ContactPerson, string? ContactPhoneMasked,
    string ResourcesOffered, DateOnly RegisteredOn);

/// <summary>
/// 双报到. An in-service member reports to the community where they live; their own party
/// organization is usually elsewhere (a company or agency branch), often outside the community's
/// scope. Design choice: the registration belongs to the community (its OrganizationId), and it is
/// created by the community's staff, who have the community in scope, because the community is where
/// the member shows up and where the service happens. The member's own branch does not need to be in
/// the community's scope. To find the member, staff give what the member presents — the 身份证号, or
/// name and phone — and the lookup compares keyed hashes, answers only an exact match with a masked
/// card, and is audited. Afterwards the community reads, for the members registered with it and only
/// for them, their name, masked phone, work unit and own organization's name: the registration is the
/// member's act of reporting to the community, which is what makes those four fields the community's
/// business. Nothing else of the member record crosses scopes.
/// </summary>
public sealed class DualRegistrationService(ScopedDbFactory dbs, FieldProtector protector, CurrentUser user, TimeProvider clock)
{
    public const string LookupAction = "member.lookup";
    private const string NotFoundMessage = "未找到该在职党员，请核对身份证号或姓名和手机号";

    // ------------------------------------------------------------------ lookup

    public async Task<Outcome<MemberLookupResult>> LookupAsync(MemberLookupInput input, CancellationToken ct = default)
    {
        var e = new FieldErrors();
        string? idHash = null, phoneHash = null, name = input.Name?.Trim();
        if (!string.IsNullOrWhiteSpace(input.IdNumber))
        {
            if (IdCardNumber.Validate(input.IdNumber, clock.Today()) is { } idError) e.Add("idNumber", idError);
            else idHash = protector.Hash(IdCardNumber.Normalize(input.IdNumber), ProtectedKind.IdNumber);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(name)) e.Add("name", "请填写身份证号，或姓名和手机号");
            if (string.IsNullOrWhiteSpace(input.Phone)) e.Add("phone", "请填写身份证号，或姓名和手机号");
            else if (!Regex.IsMatch(FieldProtector.Normalize(input.Phone, ProtectedKind.Phone), @"^1\d{10}$")) e.Add("phone", "手机号应为11位数字，以1开头");
            else phoneHash = protector.Hash(input.Phone, ProtectedKind.Phone);
        }
        if (e.Any) return e;

        await using var db = await dbs.CreateAsync(ct);
        // Crosses scopes on purpose (see the class comment): an exact keyed-hash match only, employed
        // members in normal status only, and the same answer for "no such person" and "not eligible".
        var q = db.Members.IgnoreQueryFilters().AsNoTracking().Where(m => m.Occupation == Occupation.Employed && m.Status == MemberStatus.Normal);
        q = idHash is not null ? q.Where(m => m.IdNumberHash == idHash) : q.Where(m => m.PhoneHash == phoneHash && m.Name == name);
        var found = await q.Select(m => new { m.Id, m.Name, m.IdNumberMasked, m.WorkUnit, OrgName = m.Organization!.Name, m.OrganizationId })
            .OrderBy(m => m.Id).Take(2).ToListAsync(ct);
        var hit = found.Count == 1 ? found[0] : null;
        db.Audit(LookupAction, nameof(Member), hit?.Id.ToString(), hit?.OrganizationId, success: hit is not null,
            details: new { by = idHash is not null ? "idNumber" : "name+phone", purpose = "dual-registration" });
        await db.SaveChangesAsync(ct);
        if (hit is null) return new FieldErrors().Add(idHash is not null ? "idNumber" : "phone", NotFoundMessage);
        var registered = await db.DualRegistrations.IgnoreQueryFilters().AnyAsync(r => r.MemberId == hit.Id && r.EndedOn == null, ct);
        return new MemberLookupResult(hit.Id, hit.Name, hit.IdNumberMasked, hit.WorkUnit, hit.OrgName, registered);
    }

    // ------------------------------------------------------------------ registrations

    public async Task<Outcome<DualRegistrationView>> RegisterAsync(DualRegistrationInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors().MaxLength("serviceIntent", input.ServiceIntent?.Trim(), 200, "服务意向");
        await CheckCommunityAsync(db, input.CommunityId, "communityId", e, ct);
        var on = input.RegisteredOn ?? today;
        if (on > today) e.Add("registeredOn", "报到日期不能晚于今天");
        if (input.MemberId is not { } memberId) e.Add("memberId", "请先查找并选择报到的党员");
        else
        {
            // Existence checks across scopes (the member's branch is usually elsewhere); nothing is shown.
            var eligible = await db.Members.IgnoreQueryFilters()
                .AnyAsync(m => m.Id == memberId && m.Occupation == Occupation.Employed && m.Status == MemberStatus.Normal, ct);
            if (!eligible) e.Add("memberId", NotFoundMessage);
            else if (await db.DualRegistrations.IgnoreQueryFilters().AnyAsync(r => r.MemberId == memberId && r.EndedOn == null, ct))
                e.Add("memberId", "该党员已在社区报到，请先由原报到社区结束报到");
        }
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var reg = new DualRegistration
        {
            Id = Guid.CreateVersion7(now), MemberId = input.MemberId!.Value, OrganizationId = input.CommunityId!.Value, RegisteredOn = on,
            ServiceIntent = string.IsNullOrWhiteSpace(input.ServiceIntent) ? null : input.ServiceIntent.Trim(), CreatedAt = now,
        };
        db.DualRegistrations.Add(reg);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(reg.Id, ct))!;
    }

    public async Task<Outcome<DualRegistrationView>> EndAsync(Guid id, EndInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var reg = await db.DualRegistrations.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reg is null) return Outcome<DualRegistrationView>.Missing;
        var on = input.EndedOn ?? clock.Today();
        var e = new FieldErrors();
        if (reg.EndedOn is not null) e.Add("endedOn", "该报到已结束");
        else if (on > clock.Today()) e.Add("endedOn", "结束日期不能晚于今天");
        else if (on < reg.RegisteredOn) e.Add("endedOn", "结束日期不能早于报到日期");
        if (e.Any) return e;
        reg.EndedOn = on;
        db.AuditAs(reg, "dual.end");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    public async Task<DualRegistrationView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var list = await ViewsAsync(db, db.DualRegistrations.AsNoTracking().Where(r => r.Id == id), ct);
        return list.FirstOrDefault();
    }

    public async Task<Outcome<PagedList<DualRegistrationView>>> ListAsync(Guid? orgId, bool includeEnded, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = db.DualRegistrations.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<DualRegistrationView>>.Missing;
            q = q.InSubtree(path, r => r.Organization!.Path);
        }
        if (!includeEnded) q = q.Where(r => r.EndedOn == null);
        var total = await q.CountAsync(ct);
        var items = await ViewsAsync(db, q.OrderBy(r => r.EndedOn != null).ThenByDescending(r => r.RegisteredOn).ThenBy(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize), ct);
        return new PagedList<DualRegistrationView>(items, total, page, pageSize);
    }

    /// <summary>The registrations of one member visible to the caller (for the member's record page).</summary>
    public async Task<List<DualRegistrationView>> ForMemberAsync(Guid memberId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        return await ViewsAsync(db, db.DualRegistrations.AsNoTracking().Where(r => r.MemberId == memberId).OrderByDescending(r => r.RegisteredOn), ct);
    }

    private static async Task<List<DualRegistrationView>> ViewsAsync(JicengDbContext db, IQueryable<DualRegistration> q, CancellationToken ct)
    {
        var rows = await q.Select(r => new { r.Id, r.MemberId, r.OrganizationId, CommunityName = r.Organization!.Name, r.RegisteredOn, r.ServiceIntent, r.EndedOn })
            .ToListAsync(ct);
        if (rows.Count == 0) return [];
        var memberIds = rows.Select(r => r.MemberId).Distinct().ToList();
        var cards = await CardsAsync(db, memberIds, ct);
        var services = await db.ServiceRecords.AsNoTracking().Where(s => memberIds.Contains(s.MemberId))
            .GroupBy(s => new { s.MemberId, s.OrganizationId })
            .Select(g => new { g.Key.MemberId, g.Key.OrganizationId, Count = g.Count(), Last = g.Max(s => s.Date) })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var card = cards.GetValueOrDefault(r.MemberId);
            var s = services.FirstOrDefault(x => x.MemberId == r.MemberId && x.OrganizationId == r.OrganizationId);
            return new DualRegistrationView(r.Id, r.MemberId, card?.Name ?? "", card?.PhoneMasked, card?.WorkUnit, card?.OrganizationName ?? "",
                r.OrganizationId, r.CommunityName, r.RegisteredOn, r.ServiceIntent, r.EndedOn, s?.Count ?? 0, s?.Last);
        }).ToList();
    }

    private sealed record MemberCard(Guid Id, string Name, string? PhoneMasked, string? WorkUnit, string OrganizationName);

    /// <summary>The four fields a community may read about members registered with it (see the class
    /// comment). Callers pass only member ids taken from registrations or service records the scoped
    /// context returned, so this never reads a member the caller has no registration for.</summary>
    private static async Task<Dictionary<Guid, MemberCard>> CardsAsync(JicengDbContext db, List<Guid> memberIdsFromScopedRows, CancellationToken ct) =>
        await db.Members.IgnoreQueryFilters().AsNoTracking().Where(m => memberIdsFromScopedRows.Contains(m.Id))
            .Select(m => new MemberCard(m.Id, m.Name, m.PhoneMasked, m.WorkUnit, m.Organization!.Name))
            .ToDictionaryAsync(m => m.Id, ct);

    private static async Task CheckCommunityAsync(JicengDbContext db, Guid? communityId, string field, FieldErrors e, CancellationToken ct)
    {
        if (communityId is not { } id) { e.Add(field, "请选择报到的社区"); return; }
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Kind, o.Status }).FirstOrDefaultAsync(ct);
        if (org is null) e.Add(field, "社区不存在或不在您的管理范围内");
        else if (org.Kind is not (OrganizationKind.CommunityCommittee or OrganizationKind.GeneralBranch)) e.Add(field, "双报到应登记在社区党委或社区党总支");
        else if (org.Status == OrganizationStatus.Archived) e.Add(field, "该社区党组织已撤销");
    }

    // ------------------------------------------------------------------ service records

    public async Task<Outcome<ServiceRecordView>> AddServiceAsync(ServiceRecordInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors().Required("content", input.Content, "服务内容").MaxLength("content", input.Content?.Trim(), 500, "服务内容");
        DualRegistration? reg = null;
        if (input.DualRegistrationId is not { } regId) e.Add("dualRegistrationId", "请选择报到党员");
        else
        {
            reg = await db.DualRegistrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == regId, ct);
            if (reg is null) e.Add("dualRegistrationId", "报到记录不存在或不在您的管理范围内");
            else if (reg.EndedOn is not null) e.Add("dualRegistrationId", "该报到已结束");
        }
        if (input.Date is not { } date) e.Add("date", "请填写服务日期");
        else if (date > today) e.Add("date", "服务日期不能晚于今天");
        else if (reg is not null && date < reg.RegisteredOn) e.Add("date", "服务日期不能早于报到日期");
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var record = new ServiceRecord
        {
            Id = Guid.CreateVersion7(now), MemberId = reg!.MemberId, OrganizationId = reg.OrganizationId, Date = input.Date!.Value,
            Content = input.Content!.Trim(), ConfirmedBy = await user.StaffNameAsync(), CreatedAt = now,
        };
        db.ServiceRecords.Add(record);
        await db.SaveChangesAsync(ct);
        var list = await ServiceViewsAsync(db, db.ServiceRecords.AsNoTracking().Where(s => s.Id == record.Id), ct);
        return list[0];
    }

    public async Task<Outcome<PagedList<ServiceRecordView>>> ListServicesAsync(Guid? orgId, Guid? memberId, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = db.ServiceRecords.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<ServiceRecordView>>.Missing;
            q = q.InSubtree(path, s => s.Organization!.Path);
        }
        if (memberId is { } mid) q = q.Where(s => s.MemberId == mid);
        var total = await q.CountAsync(ct);
        var items = await ServiceViewsAsync(db, q.OrderByDescending(s => s.Date).ThenByDescending(s => s.Id).Skip((page - 1) * pageSize).Take(pageSize), ct);
        return new PagedList<ServiceRecordView>(items, total, page, pageSize);
    }

    private static async Task<List<ServiceRecordView>> ServiceViewsAsync(JicengDbContext db, IQueryable<ServiceRecord> q, CancellationToken ct)
    {
        var rows = await q.Select(s => new { s.Id, s.MemberId, s.OrganizationId, OrgName = s.Organization!.Name, s.Date, s.Content, s.ConfirmedBy }).ToListAsync(ct);
        var cards = await CardsAsync(db, rows.Select(r => r.MemberId).Distinct().ToList(), ct);
        return rows.Select(r => new ServiceRecordView(r.Id, r.MemberId, cards.GetValueOrDefault(r.MemberId)?.Name ?? "", r.OrganizationId, r.OrgName,
            r.Date, r.Content, r.ConfirmedBy)).ToList();
    }

    // ------------------------------------------------------------------ units

    public async Task<Outcome<UnitRegistrationView>> RegisterUnitAsync(UnitRegistrationInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors()
            .Required("unitName", input.UnitName, "单位名称").MaxLength("unitName", input.UnitName?.Trim(), 100, "单位名称")
            .Required("contactPerson", input.ContactPerson, "联系人").MaxLength("contactPerson", input.ContactPerson?.Trim(), 50, "联系人")
            .Required("resourcesOffered", input.ResourcesOffered, "可提供的资源").MaxLength("resourcesOffered", input.ResourcesOffered?.Trim(), 500, "可提供的资源");
        await CheckCommunityAsync(db, input.CommunityId, "communityId", e, ct);
        string? phone = null;
        if (string.IsNullOrWhiteSpace(input.ContactPhone)) e.Add("contactPhone", "联系电话不能为空");
        else
        {
            phone = FieldProtector.Normalize(input.ContactPhone, ProtectedKind.Phone);
            // A mobile number, or a landline with its area code (010-12345678).
            if (!Regex.IsMatch(phone, @"^(1\d{10}|0\d{9,11})$")) e.Add("contactPhone", "联系电话应为11位手机号，或带区号的固定电话");
        }
        var on = input.RegisteredOn ?? today;
        if (on > today) e.Add("registeredOn", "报到日期不能晚于今天");
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var p = protector.Protect(phone!, ProtectedKind.Phone);
        var unit = new UnitRegistration
        {
            Id = Guid.CreateVersion7(now), OrganizationId = input.CommunityId!.Value, UnitName = input.UnitName!.Trim(), ContactPerson = input.ContactPerson!.Trim(),
            ContactPhoneCipher = p.Cipher, ContactPhoneMasked = p.Masked, ResourcesOffered = input.ResourcesOffered!.Trim(), RegisteredOn = on, CreatedAt = now,
        };
        db.UnitRegistrations.Add(unit);
        await db.SaveChangesAsync(ct);
        return (await UnitViewsAsync(db.UnitRegistrations.AsNoTracking().Where(u => u.Id == unit.Id), ct))[0];
    }

    public async Task<Outcome<PagedList<UnitRegistrationView>>> ListUnitsAsync(Guid? orgId, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = db.UnitRegistrations.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<UnitRegistrationView>>.Missing;
            q = q.InSubtree(path, u => u.Organization!.Path);
        }
        var total = await q.CountAsync(ct);
        var items = await UnitViewsAsync(q.OrderBy(u => u.UnitName).ThenBy(u => u.Id).Skip((page - 1) * pageSize).Take(pageSize), ct);
        return new PagedList<UnitRegistrationView>(items, total, page, pageSize);
    }

    private static Task<List<UnitRegistrationView>> UnitViewsAsync(IQueryable<UnitRegistration> q, CancellationToken ct) =>
        q.Select(u => new UnitRegistrationView(u.Id, u.OrganizationId, u.Organization!.Name, u.UnitName, u.ContactPerson, u.ContactPhoneMasked,
            u.ResourcesOffered, u.RegisteredOn)).ToListAsync(ct);

    public async Task<bool> UnitVisibleAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        return await db.UnitRegistrations.AnyAsync(u => u.Id == id, ct);
    }

    /// <summary>The full contact phone of a unit in scope for a role allowed to see it, audited; null otherwise.</summary>
    public async Task<string?> RevealUnitPhoneAsync(Guid id, ProtectedFieldReveal reveal, CancellationToken ct = default)
    {
        if (!await user.IsInAnyRoleAsync(Domain.Identity.Roles.ProtectedFieldRevealers)) return null;
        await using var db = await dbs.CreateAsync(ct);
        var u = await db.UnitRegistrations.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Id, x.OrganizationId, x.ContactPhoneCipher }).FirstOrDefaultAsync(ct);
        if (u is null) return null;
        return await reveal.RevealAsync(db, nameof(UnitRegistration), u.Id.ToString(), u.OrganizationId, "contactPhone", u.ContactPhoneCipher, ct) ?? "";
    }
}
