using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberCare;

public sealed class MobileRegistrationInput
{
    public Guid? MemberId { get; set; }
    public string? Location { get; set; }
    public DateOnly? Since { get; set; }
    public string? ContactPerson { get; set; }
    public DateOnly? ExpectedReturn { get; set; }
    /// <summary>Defaults to today: registering is itself a contact.</summary>
    public DateOnly? LastContactOn { get; set; }
}

public sealed record ContactInput(DateOnly? ContactOn);

public sealed record EndInput(DateOnly? EndedOn);

public sealed record MobileMemberView(Guid Id, Guid MemberId, string MemberName, Guid OrganizationId, string OrganizationName, string Location,
    DateOnly Since, string ContactPerson, DateOnly? ExpectedReturn, DateOnly LastContactOn, DateOnly? EndedOn, int MonthsWithoutContact,
    AlertSeverity? ContactAlert, string ContactState);

/// <summary>流动党员: registration, contacts and return. The registration belongs to the member's own
/// organization, which stays responsible while the member is away.</summary>
public sealed class MobileMemberService(ScopedDbFactory dbs, TimeProvider clock)
{
    public async Task<Outcome<PagedList<MobileMemberView>>> ListAsync(Guid? orgId, bool includeEnded, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var q = db.MobileRegistrations.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<MobileMemberView>>.Missing;
            q = q.InSubtree(path, r => r.Organization!.Path);
        }
        if (!includeEnded) q = q.Where(r => r.EndedOn == null);
        var total = await q.CountAsync(ct);
        // Longest without contact first: those are the ones to call.
        var rows = await Project(q.OrderBy(r => r.EndedOn != null).ThenBy(r => r.LastContactOn).ThenBy(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(ct);
        var today = clock.Today();
        return new PagedList<MobileMemberView>(rows.Select(r => r.ToView(today)).ToList(), total, page, pageSize);
    }

    public async Task<MobileMemberView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var row = await Project(db.MobileRegistrations.AsNoTracking().Where(r => r.Id == id)).FirstOrDefaultAsync(ct);
        return row?.ToView(clock.Today());
    }

    /// <summary>The registrations of one member (newest first), for the member's record page.</summary>
    public async Task<List<MobileMemberView>> ForMemberAsync(Guid memberId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var rows = await Project(db.MobileRegistrations.AsNoTracking().Where(r => r.MemberId == memberId).OrderByDescending(r => r.Since)).ToListAsync(ct);
        var today = clock.Today();
        return rows.Select(r => r.ToView(today)).ToList();
    }

    internal static IQueryable<Row> Project(IQueryable<MobileRegistration> q) =>
        q.Select(r => new Row(r.Id, r.MemberId, r.Member!.Name, r.OrganizationId, r.Organization!.Name, r.Location, r.Since, r.ContactPerson,
            r.ExpectedReturn, r.LastContactOn, r.EndedOn));

    internal sealed record Row(Guid Id, Guid MemberId, string MemberName, Guid OrganizationId, string OrganizationName, string Location,
        DateOnly Since, string ContactPerson, DateOnly? ExpectedReturn, DateOnly LastContactOn, DateOnly? EndedOn)
    {
        public MobileMemberView ToView(DateOnly today)
        {
            var severity = EndedOn is null ? MobileMemberContactRule.SeverityFor(LastContactOn, today) : null;
            var state = EndedOn is not null ? "已返回" : severity switch
            {
                AlertSeverity.Critical => $"已满{MobileMemberContactRule.CriticalMonths}个月未联系",
                AlertSeverity.Warning => $"即将满{MobileMemberContactRule.CriticalMonths}个月未联系",
                _ => "联系正常",
            };
            return new MobileMemberView(Id, MemberId, MemberName, OrganizationId, OrganizationName, Location, Since, ContactPerson, ExpectedReturn,
                LastContactOn, EndedOn, EndedOn is null ? MemberCareCommon.MonthsBetween(LastContactOn, today) : 0, severity, state);
        }
    }

    /// <summary>Registers a member as mobile; the member's status becomes 流动 in the same transaction.</summary>
    public async Task<Outcome<MobileMemberView>> RegisterAsync(MobileRegistrationInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors()
            .Required("location", input.Location, "流动去向").MaxLength("location", input.Location?.Trim(), 200, "流动去向")
            .Required("contactPerson", input.ContactPerson, "联系人").MaxLength("contactPerson", input.ContactPerson?.Trim(), 100, "联系人");
        if (input.Since is not { } since) e.Add("since", "请填写外出日期");
        else if (since > today) e.Add("since", "外出日期不能晚于今天");
        if (input.ExpectedReturn is { } ret && input.Since is { } s1 && ret < s1) e.Add("expectedReturn", "预计返回日期不能早于外出日期");
        var lastContact = input.LastContactOn ?? today;
        if (lastContact > today) e.Add("lastContactOn", "最近联系日期不能晚于今天");
        else if (input.Since is { } s2 && lastContact < s2) e.Add("lastContactOn", "最近联系日期不能早于外出日期");
        Member? member = null;
        if (input.MemberId is not { } memberId) e.Add("memberId", "请选择党员");
        else
        {
            member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, ct);
            if (member is null) e.Add("memberId", MemberCareCommon.MemberNotFound);
            else if (PartyMembership.RefusalFor(member.Status) is { } notCurrent) e.Add("memberId", $"{notCurrent}，不能登记为流动党员");
            else if (member.Status == MemberStatus.Abroad) // current, but abroad: not a mobile member
                e.Add("memberId", $"该党员当前状态为“{member.Status.ToChinese()}”，不能登记为流动党员");
            else if (await db.MobileRegistrations.AnyAsync(r => r.MemberId == memberId && r.EndedOn == null, ct))
                e.Add("memberId", "该党员已有未结束的流动登记");
        }
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var reg = new MobileRegistration
        {
            Id = Guid.CreateVersion7(now), MemberId = member!.Id, OrganizationId = member.OrganizationId, Location = input.Location!.Trim(),
            Since = input.Since!.Value, ContactPerson = input.ContactPerson!.Trim(), ExpectedReturn = input.ExpectedReturn, LastContactOn = lastContact,
            CreatedAt = now,
        };
        db.MobileRegistrations.Add(reg);
        member.Status = MemberStatus.Mobile;
        member.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return (await GetAsync(reg.Id, ct))!;
    }

    /// <summary>Records that the organization reached the member (the date of the contact).</summary>
    public async Task<Outcome<MobileMemberView>> RecordContactAsync(Guid id, ContactInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var reg = await db.MobileRegistrations.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reg is null) return Outcome<MobileMemberView>.Missing;
        var today = clock.Today();
        var on = input.ContactOn ?? today;
        var e = new FieldErrors();
        if (reg.EndedOn is not null) e.Add("contactOn", "该流动登记已结束");
        else if (on > today) e.Add("contactOn", "联系日期不能晚于今天");
        else if (on < reg.LastContactOn) e.Add("contactOn", $"联系日期不能早于上次联系日期（{reg.LastContactOn:yyyy-MM-dd}）");
        if (e.Any) return e;
        reg.LastContactOn = on;
        db.AuditAs(reg, "mobile.contact");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>Ends the registration (the member is back); a mobile member's status returns to 正常.</summary>
    public async Task<Outcome<MobileMemberView>> EndAsync(Guid id, EndInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var reg = await db.MobileRegistrations.Include(r => r.Member).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reg is null || reg.Member is null) return Outcome<MobileMemberView>.Missing;
        var today = clock.Today();
        var on = input.EndedOn ?? today;
        var e = new FieldErrors();
        if (reg.EndedOn is not null) e.Add("endedOn", "该流动登记已结束");
        else if (on > today) e.Add("endedOn", "返回日期不能晚于今天");
        else if (on < reg.Since) e.Add("endedOn", "返回日期不能早于外出日期");
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        reg.EndedOn = on;
        db.AuditAs(reg, "mobile.end");
        if (reg.Member.Status == MemberStatus.Mobile)
        {
            reg.Member.Status = MemberStatus.Normal;
            reg.Member.UpdatedAt = now;
        }
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }
}

/// <summary>The 6-month contact rule over every active mobile registration (党章 第九条, rules.md §3).</summary>
public sealed class MobileMemberAlertRules : Alerts.IAlertRuleSet
{
    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, Domain.Settings.ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        // A loose bound for the database (a few days for month-end clipping); the rule decides exactly.
        var bound = today.AddMonths(-MobileMemberContactRule.WarningMonths).AddDays(3);
        var facts = await db.MobileRegistrations.AsNoTracking()
            .Where(r => r.EndedOn == null && r.LastContactOn <= bound && r.Member!.Status == MemberStatus.Mobile)
            .Select(r => new MobileContactFacts(r.MemberId, r.Member!.Name, r.OrganizationId, r.Location, r.LastContactOn))
            .ToListAsync(ct);
        return facts.Select(f => MobileMemberContactRule.Evaluate(f, today)).OfType<AlertFinding>().ToList();
    }
}
