using System.Security.Claims;
using Jiceng.Data;
using Jiceng.Data.Protection;
using Jiceng.Data.Scope;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Cases;

/// <summary>The outcome of a transition: the case after it, field errors, not found, not allowed, or a conflict with the current state.</summary>
public sealed record TransitionOutcome(CaseDetail? Value, FieldErrors? Errors = null, bool NotFound = false, string? Forbidden = null, CaseDetail? Conflict = null);

/// <summary>
/// Cases for staff and departments, shared by the API and the pages. Deliberate scope crossing: grid workers and
/// department handlers act on cases although their roles write no registry data, so a case is not
/// <see cref="IOrgScoped"/>. Instead every use case here first finds the case through the scoped query filter
/// (out of scope → 404) and checks the caller's role for the action; a department handler finds only the cases
/// whistled to one of their departments.
/// </summary>
public sealed class CaseService(ScopedDbFactory dbs, CurrentUser user, FieldProtector protector, TimeProvider clock)
{
    public const int MaxDescription = 2000;

    internal sealed record Caller(string? UserId, string? Name, ClaimsPrincipal Principal, List<Guid> DepartmentIds)
    {
        public bool IsHandler => CaseRoles.Handlers.Any(Principal.IsInRole);
        public bool DepartmentOnly => !IsHandler && Principal.IsInRole(Roles.DepartmentHandler);
        public bool CanWhistle => CaseRoles.Whistlers.Any(Principal.IsInRole);
    }

    private async Task<Caller> CallerAsync(JicengDbContext db, CancellationToken ct)
    {
        var p = await user.GetPrincipalAsync();
        var id = p.FindFirstValue(ClaimTypes.NameIdentifier);
        var depts = id is null || !p.IsInRole(Roles.DepartmentHandler) ? []
            : await db.DepartmentHandlers.AsNoTracking().Where(h => h.UserId == id).Select(h => h.DepartmentId).ToListAsync(ct);
        return new Caller(id, p.FindFirstValue("display_name") ?? p.Identity?.Name, p, depts);
    }

    /// <summary>Cases the caller may see: the scope filter, narrowed to whistled cases for a department handler.</summary>
    private static IQueryable<Case> Visible(JicengDbContext db, Caller caller, IQueryable<Case>? root = null)
    {
        var q = root ?? db.Cases;
        if (caller.DepartmentOnly)
        {
            var depts = caller.DepartmentIds;
            q = q.Where(c => db.CaseDispatches.Any(d => d.CaseId == c.Id && depts.Contains(d.DepartmentId)));
        }
        return q;
    }

    public static (DateTimeOffset From, DateTimeOffset To) ChinaDays(DateOnly from, DateOnly to)
    {
        var f = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), ChinaTime.Zone.GetUtcOffset(from.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var t = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Zone.GetUtcOffset(to.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        return (f, t);
    }

    public async Task<Outcome<PagedList<CaseSummary>>> ListAsync(CaseQuery f, CancellationToken ct = default)
    {
        var errors = Paging.Check(f.Page, f.PageSize);
        if (f.From is { } a && f.To is { } b && b < a) errors.Add("to", "结束日期不能早于开始日期");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var caller = await CallerAsync(db, ct);
        string? path = null;
        Guid? street = null;
        var isStreet = false;
        if (f.OrgId is { } orgId)
        {
            path = await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return Outcome<PagedList<CaseSummary>>.Missing;
            street = await db.StreetOfPathAsync(path, ct);
            isStreet = street == orgId;
        }
        IQueryable<Case> Filtered(IQueryable<Case> root)
        {
            var q = Visible(db, caller, root).AsNoTracking();
            // A department handler's cases stay behind the scope filter too (their dispatches are the filter that matters).
            if (path is not null)
            {
                if (caller.DepartmentOnly) q = q.InSubtree(path, c => c.Organization!.Path);
                // A street's cases are its StreetId's (the same set as its subtree's): one index range, newest first.
                else if (isStreet) q = root.AsNoTracking().IgnoreQueryFilters().Where(c => c.StreetId == street);
                else q = root.AsNoTracking().InReadSubtree(path, c => c.Organization!.Path);
                // Below a street: the street's cases newest first, kept when they are in the subtree.
                if (street is not null && !isStreet) q = q.Where(c => c.StreetId == street);
            }
            if (f.Status is { } s) q = q.Where(c => c.Status == s);
            if (f.Category is { } cat) q = q.Where(c => c.CategoryId == cat);
            if (f.From is { } from) { var utc = ChinaDays(from, from).From; q = q.Where(c => c.ReceivedAt >= utc); }
            if (f.To is { } to) { var utc = ChinaDays(to, to).To; q = q.Where(c => c.ReceivedAt < utc); }
            return q;
        }
        var q = Filtered(db.Cases);
        // Exact up to 10,000, then "10000+" (as the member list): counting a street's two years of cases on every page
        // cost more than the page itself (bench/results/2026-12-02-all-findings.md); the exact counts are on the rates page.
        var (total, lowerBound) = await Paging.CappedCountAsync(q, ct);
        var now = clock.GetUtcNow();
        var rows = await Filtered(PageRoot(db, newestFirst: lowerBound && street is null)).OrderByDescending(c => c.ReceivedAt).ThenBy(c => c.Id).Skip((f.Page - 1) * f.PageSize).Take(f.PageSize)
            .Select(c => new { c.Id, c.Number, c.Status, Cat = c.Category!.Name, c.Source, c.Description, c.OrganizationId, Org = c.Organization!.Name, c.ReceivedAt, c.ResolutionDue, c.Version })
            .ToListAsync(ct);
        return new PagedList<CaseSummary>(rows.Select(c => new CaseSummary(c.Id, c.Number, c.Status, c.Status.ToChinese(), c.Cat, c.Source, c.Source.ToChinese(),
            c.Description.Length > 60 ? c.Description[..60] + "…" : c.Description, c.OrganizationId, c.Org, c.ReceivedAt, c.ResolutionDue,
            CaseStateMachine.IsOpen(c.Status) && now > c.ResolutionDue, c.Version)).ToList(), total, f.Page, f.PageSize, lowerBound);
    }

    /// <summary>
    /// Where a page of the list reads its cases. When the filtered cases are many (the count reached its cap), SQLite is told
    /// to walk the cases newest first (<c>INDEXED BY IX_Cases_ReceivedAt</c>) and keep the subtree's: a page is found within
    /// a few hundred rows. Left to itself, SQLite reads every case of the subtree by organization and sorts them (a street of
    /// the district, 41,000 cases: 62 ms a page against 1 ms, bench/results/2026-12-03-all-sqlite-1-s8-sqlite-trace.md). For a
    /// small subtree that walk could cross the whole table, so it stays with the organization index. PostgreSQL's planner makes
    /// this choice itself from its statistics. Not for a list at or below a street: the street's own index
    /// (<see cref="Case.StreetId"/>, received) already walks its cases newest first.
    /// </summary>
    public static IQueryable<Case> PageRoot(JicengDbContext db, bool newestFirst) =>
        newestFirst && !db.IsPostgres ? db.Cases.FromSqlRaw("SELECT * FROM \"Cases\" INDEXED BY \"IX_Cases_ReceivedAt\"") : db.Cases;

    public async Task<CaseDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var caller = await CallerAsync(db, ct);
        var c = await Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return c is null ? null : await DetailAsync(db, c, caller, ct);
    }

    private async Task<CaseDetail> DetailAsync(JicengDbContext db, Case c, Caller caller, CancellationToken ct)
    {
        var orgIds = new[] { c.OrganizationId, c.HandlingOrganizationId };
        var orgNames = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var category = await db.CaseCategories.AsNoTracking().Where(x => x.Id == c.CategoryId).Select(x => x.Name).FirstAsync(ct);
        var dispatches = await db.CaseDispatches.IgnoreQueryFilters().AsNoTracking().Where(d => d.CaseId == c.Id).OrderBy(d => d.WhistledAt)
            .Select(d => new DispatchView(d.Id, d.DepartmentId, d.Department!.Name, d.Status, "", d.WhistledAt, d.AcceptDue, d.ReportDue, d.AcceptedAt, d.ReportedAt, d.Report))
            .ToListAsync(ct);
        dispatches = dispatches.Select(d => d with { StatusName = d.Status.ToChinese() }).ToList();
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var deptIds = events.Where(e => e.DepartmentId != null).Select(e => e.DepartmentId!.Value).Distinct().ToList();
        var deptNames = await db.Departments.IgnoreQueryFilters().AsNoTracking().Where(d => deptIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var evOrgIds = events.Where(e => e.OrganizationId != null).Select(e => e.OrganizationId!.Value).Distinct().ToList();
        var evOrgs = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => evOrgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var allowed = new List<string>();
        if (caller.IsHandler)
            allowed.AddRange(CaseStateMachine.StaffActions(c.Status).Where(a => a != CaseAction.Whistle || caller.CanWhistle).Select(a => a.ToApi()));
        if (c.Status == CaseStatus.Whistled)
            foreach (var d in dispatches.Where(d => caller.DepartmentIds.Contains(d.DepartmentId)))
                allowed.Add(d.Status == DispatchStatus.Whistled ? CaseAction.DepartmentAccept.ToApi() : d.Status == DispatchStatus.Accepted ? CaseAction.DepartmentReport.ToApi() : "");
        if (caller.IsHandler || caller.DepartmentIds.Count > 0) allowed.Add(CaseAction.Comment.ToApi());
        return new CaseDetail(c.Id, c.Number, c.Status, c.Status.ToChinese(), c.CategoryId, category, c.Source, c.Source.ToChinese(), c.Description, c.Place,
            c.ReporterName, c.PhoneMasked, c.OrganizationId, orgNames.GetValueOrDefault(c.OrganizationId, ""), c.HandlingOrganizationId,
            orgNames.GetValueOrDefault(c.HandlingOrganizationId, ""), c.GridId, c.HouseholdId, c.ReceivedAt, c.ResponseDue, c.ResolutionDue, c.RespondedAt,
            c.ClosedAt, c.ResolvedAt, c.Result, c.ReopenCount, c.Rating, c.HasPhoto, c.Version, allowed.Where(a => a != "").Distinct().ToList(), dispatches,
            events.Select(e => new CaseEventView(e.Action, e.Action.ToChinese(), e.StatusAfter, e.StatusAfter.ToChinese(), e.Actor, e.ActorName,
                e.DepartmentId is { } di ? deptNames.GetValueOrDefault(di) : null, e.OrganizationId is { } oi ? evOrgs.GetValueOrDefault(oi) : null, e.Text, e.At)).ToList());
    }

    // ------------------------------------------------------------ create (staff)

    public async Task<Outcome<CaseDetail>> CreateAsync(StaffCaseInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var caller = await CallerAsync(db, ct);
        if (!caller.IsHandler) return Outcome<CaseDetail>.Missing;
        var errors = new FieldErrors();
        CheckText(errors, input.Description, input.Place, input.Phone, input.ReporterName);
        if (input.Source is CaseSource.QrCode) errors.Add("source", "扫码上报请使用居民端入口");
        Grid? grid = null;
        Guid orgId;
        if (input.GridId is { } gid)
        {
            grid = await db.Grids.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gid, ct);
            if (grid is null) return Outcome<CaseDetail>.Missing;
            orgId = grid.OrganizationId;
        }
        else if (input.OrganizationId is { } oid)
        {
            if (!await db.Organizations.AnyAsync(o => o.Id == oid && o.Status == OrganizationStatus.Active, ct)) return Outcome<CaseDetail>.Missing;
            orgId = oid;
        }
        else { errors.Add("gridId", "请选择网格或所属组织"); orgId = Guid.Empty; }
        if (input.HouseholdId is { } hid && !await db.Households.AnyAsync(h => h.Id == hid && (grid == null || h.GridId == grid.Id), ct))
            errors.Add("householdId", "住户不存在或不在该网格");
        var category = await CategoryAsync(db, input.CategoryId, errors, ct);
        if (errors.Any) return errors;
        var c = NewCase(category!, orgId, await db.StreetOfAsync(orgId, ct), grid?.Id, input.Source ?? CaseSource.Hotline, input.Description!, input.Place, input.Phone,
            input.ReporterName, input.HouseholdId);
        db.Cases.Add(c);
        db.CaseEvents.Add(Event(c, CaseAction.Submit, CaseActor.Staff, caller.Name, text: c.Source.ToChinese()));
        await db.SaveChangesAsync(ct);
        return await DetailAsync(db, c, caller, ct);
    }

    internal static void CheckText(FieldErrors errors, string? description, string? place, string? phone, string? name)
    {
        errors.Required("description", description, "诉求内容").MaxLength("description", description, MaxDescription, "诉求内容")
            .MaxLength("place", place, 200, "地点").MaxLength("name", name, 50, "姓名");
        if (!string.IsNullOrWhiteSpace(phone) && !System.Text.RegularExpressions.Regex.IsMatch(FieldProtector.Normalize(phone, ProtectedKind.Phone), @"^(1\d{10}|0\d{9,11}|\d{7,8})$"))
            errors.Add("phone", "电话号码格式不正确（手机11位，或固定电话）");
    }

    internal static async Task<CaseCategory?> CategoryAsync(JicengDbContext db, Guid? id, FieldErrors errors, CancellationToken ct)
    {
        if (id is not { } cid) { errors.Add("categoryId", "请选择诉求类别"); return null; }
        var c = await db.CaseCategories.AsNoTracking().FirstOrDefaultAsync(x => x.Id == cid && x.Active, ct);
        if (c is null) errors.Add("categoryId", "诉求类别不存在");
        return c;
    }

    internal Case NewCase(CaseCategory category, Guid orgId, Guid? streetId, Guid? gridId, CaseSource source, string description, string? place, string? phone, string? name, Guid? householdId)
    {
        var now = clock.GetUtcNow();
        var (response, resolution) = CaseDeadlines.For(now, category.ResponseHours, category.ResolutionDays);
        ProtectedValue? p = string.IsNullOrWhiteSpace(phone) ? null : protector.Protect(phone, ProtectedKind.Phone);
        return new Case
        {
            Id = Guid.CreateVersion7(now), Number = NewNumber(now), OrganizationId = orgId, HandlingOrganizationId = orgId, StreetId = streetId, GridId = gridId,
            HouseholdId = householdId,
            CategoryId = category.Id, Source = source, Description = description.Trim(), Place = string.IsNullOrWhiteSpace(place) ? null : place.Trim(),
            ReporterName = string.IsNullOrWhiteSpace(name) ? null : name.Trim(), PhoneCipher = p?.Cipher, PhoneHash = p?.Hash, PhoneMasked = p?.Masked,
            ReceivedAt = now, ResponseDue = response, ResolutionDue = resolution, Version = 1, UpdatedAt = now,
        };
    }

    /// <summary>yyyyMMdd-XXXXXXXX (date in Asia/Shanghai, 40 random bits): short enough to read out on the phone.</summary>
    public static string NewNumber(DateTimeOffset now) =>
        $"{now.ToChina():yyyyMMdd}-{TrackingCode.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5))}";

    internal CaseEvent Event(Case c, CaseAction action, CaseActor actor, string? actorName, string? text = null, Guid? departmentId = null, Guid? organizationId = null) => new()
    {
        Id = Guid.CreateVersion7(clock.GetUtcNow()), CaseId = c.Id, Action = action, StatusAfter = c.Status, Actor = actor, ActorName = actorName,
        Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim(), DepartmentId = departmentId, OrganizationId = organizationId, At = clock.GetUtcNow(),
    };

    // ------------------------------------------------------------ transitions (staff and departments)

    public async Task<TransitionOutcome> TransitionAsync(Guid id, TransitionInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (input.Action is null || !CaseActionNames.Api.TryGetValue(input.Action, out var action))
            errors.Add("action", $"操作不正确，可选：{string.Join("、", CaseActionNames.Api.Keys)}");
        if (input.Version is null) errors.Add("version", "请提供记录版本号（version），以免覆盖他人的修改");
        if (errors.Any) return new TransitionOutcome(null, errors);
        action = CaseActionNames.Api[input.Action!];

        await using var db = await dbs.CreateAsync(ct);
        var caller = await CallerAsync(db, ct);
        var c = await Visible(db, caller).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return new TransitionOutcome(null, NotFound: true);

        var departmentAction = action is CaseAction.DepartmentAccept or CaseAction.DepartmentReport;
        if (departmentAction ? caller.DepartmentIds.Count == 0 : action == CaseAction.Comment ? !caller.IsHandler && caller.DepartmentIds.Count == 0 : !caller.IsHandler)
            return new TransitionOutcome(null, Forbidden: departmentAction ? "只有被吹哨部门的处置人员可以报到和反馈" : "当前角色不能办理群众诉求");
        if (action == CaseAction.Whistle && !caller.CanWhistle)
            return new TransitionOutcome(null, Forbidden: "只有街道可以吹哨调度部门");
        if (c.Version != input.Version)
            return new TransitionOutcome(null, Conflict: await DetailAsync(db, c, caller, ct));

        var now = clock.GetUtcNow();
        var settings = await SettingsService.LoadAsync(db, ct);
        var dispatches = await db.CaseDispatches.IgnoreQueryFilters().Where(d => d.CaseId == c.Id).ToListAsync(ct);
        List<Department> newDepartments = [];
        CaseDispatch? mine = null;
        Organization? transferTo = null;
        if (action == CaseAction.Whistle)
        {
            var ids = (input.DepartmentIds ?? []).Distinct().ToList();
            var casePath = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == c.OrganizationId).Select(o => o.Path).FirstAsync(ct);
            var found = await db.Departments.Include(d => d.Organization).Where(d => ids.Contains(d.Id) && d.Active).ToListAsync(ct);
            // A department serves the street (or district) above the case: its organization is an ancestor of the case's.
            found = found.Where(d => OrgPath.IsWithin(casePath, d.Organization!.Path)).ToList();
            if (found.Count != ids.Count) return new TransitionOutcome(null, new FieldErrors().Add("departmentIds", "部门不存在，或不负责该诉求所在的街道"));
            newDepartments = found.Where(d => dispatches.All(x => x.DepartmentId != d.Id)).ToList();
        }
        if (departmentAction)
        {
            var candidates = dispatches.Where(d => caller.DepartmentIds.Contains(d.DepartmentId) && (input.DepartmentId is null || d.DepartmentId == input.DepartmentId)).ToList();
            mine = candidates.FirstOrDefault(d => CaseStateMachine.DispatchError(d.Status, action) is null) ?? candidates.FirstOrDefault();
            if (mine is null) return new TransitionOutcome(null, NotFound: true);
            if (CaseStateMachine.DispatchError(mine.Status, action) is { } de) return new TransitionOutcome(null, new FieldErrors().Add("action", de));
        }
        if (action == CaseAction.Transfer)
        {
            if (input.OrganizationId is not { } to || to == c.OrganizationId) return new TransitionOutcome(null, new FieldErrors().Add("organizationId", "请选择承接的组织（不能是本组织）"));
            transferTo = await db.Organizations.FirstOrDefaultAsync(o => o.Id == to && o.Status == OrganizationStatus.Active, ct);
            if (transferTo is null) return new TransitionOutcome(null, new FieldErrors().Add("organizationId", "承接组织不存在或不在您的管理范围内"));
        }

        var facts = new TransitionFacts(input.Text, dispatches.Count(d => d.Status != DispatchStatus.Reported), newDepartments.Count, c.ClosedAt, now,
            settings.Get(Domain.Settings.SettingDefinitions.CaseFollowUpDays), input.Resolved);
        var result = CaseStateMachine.Apply(c.Status, action, facts);
        if (!result.Allowed) return new TransitionOutcome(null, new FieldErrors().Add(result.Field!, result.Error!));

        var actor = departmentAction ? CaseActor.Department : action == CaseAction.Whistle ? CaseActor.Street : CaseActor.Staff;
        Guid? eventDept = mine?.DepartmentId;
        Guid? eventOrg = null;
        var text = input.Text;
        switch (action)
        {
            case CaseAction.Accept:
                c.RespondedAt ??= now;
                break;
            case CaseAction.Reject:
                c.RespondedAt ??= now;
                break;
            case CaseAction.Whistle:
                var category = await db.CaseCategories.AsNoTracking().FirstAsync(x => x.Id == c.CategoryId, ct);
                var (acceptDue, reportDue) = CaseDeadlines.ForDispatch(now, category.ResponseHours, category.ResolutionDays, c.ResolutionDue);
                foreach (var d in newDepartments)
                    db.CaseDispatches.Add(new CaseDispatch { Id = Guid.CreateVersion7(now), CaseId = c.Id, DepartmentId = d.Id, WhistledAt = now, AcceptDue = acceptDue, ReportDue = reportDue });
                text = string.Join("、", newDepartments.Select(d => d.Name)) + (string.IsNullOrWhiteSpace(input.Text) ? "" : "：" + input.Text.Trim());
                break;
            case CaseAction.DepartmentAccept:
                mine!.Status = DispatchStatus.Accepted;
                mine.AcceptedAt = now;
                break;
            case CaseAction.DepartmentReport:
                mine!.Status = DispatchStatus.Reported;
                mine.ReportedAt = now;
                mine.Report = input.Text!.Trim();
                break;
            case CaseAction.Close:
                c.ClosedAt = now;
                c.CloseMinutes = CaseRates.CloseMinutes(c.ReceivedAt, now);
                c.Result = input.Text!.Trim();
                break;
            case CaseAction.FollowUp:
                if (result.Next == CaseStatus.Resolved) c.ResolvedAt = now;
                else c.ReopenCount++;
                text = (input.Resolved == true ? "回访确认已解决" : "回访未解决") + (string.IsNullOrWhiteSpace(input.Text) ? "" : "：" + input.Text.Trim());
                break;
            case CaseAction.Transfer:
                eventOrg = transferTo!.Id;
                c.OrganizationId = transferTo.Id;
                c.HandlingOrganizationId = transferTo.Id;
                c.StreetId = await db.StreetOfPathAsync(transferTo.Path, ct);
                c.GridId = await db.Grids.IgnoreQueryFilters().Where(g => g.OrganizationId == transferTo.Id).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(ct);
                break;
        }
        c.Status = result.Next;
        c.Version++;
        c.UpdatedAt = now;
        db.CaseEvents.Add(Event(c, action, actor, caller.Name, text, eventDept, eventOrg));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else changed the case between our read and our write: one of two wins, the other sees the current state.
            await using var fresh = await dbs.CreateAsync(ct);
            var current = await Visible(fresh, caller).AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
            return current is null ? new TransitionOutcome(null, NotFound: true) : new TransitionOutcome(null, Conflict: await DetailAsync(fresh, current, caller, ct));
        }
        return new TransitionOutcome(await DetailAsync(db, c, caller, ct));
    }

    // ------------------------------------------------------------ rates

    public async Task<Outcome<CaseRatesView>> RatesAsync(Guid orgId, DateOnly? from, DateOnly? to, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (from is null) errors.Add("from", "请填写开始日期");
        if (to is null) errors.Add("to", "请填写结束日期");
        if (from is { } a && to is { } b && (b < a || b.DayNumber - a.DayNumber > 3660)) errors.Add("to", "结束日期须不早于开始日期，且期间不超过10年");
        if (from is { Year: < 2000 or > 2100 }) errors.Add("from", "开始日期须在2000年至2100年之间");
        if (to is { Year: < 2000 or > 2100 }) errors.Add("to", "结束日期须在2000年至2100年之间");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var caller = await CallerAsync(db, ct);
        if (!caller.IsHandler) return Outcome<CaseRatesView>.Missing;
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Path, o.Name }).FirstOrDefaultAsync(ct);
        if (org is null) return Outcome<CaseRatesView>.Missing;
        var counts = await CaseCountStore.CountAsync(db, org.Path, from!.Value, to!.Value, ct);
        var r = CaseRates.From(counts);
        return new CaseRatesView(orgId, org.Name, from.Value, to.Value, counts.Received, counts.Rejected, counts.RespondedInTime, counts.Closed, counts.Resolved,
            counts.Rated, counts.Satisfied, counts.EverClosed, counts.Reopened, r.ResponseRate, r.ClosedRate, r.ResolvedRate, r.SatisfactionRate, r.ReopenRate, r.AverageHoursToClose);
    }

    /// <summary>The counts of <see cref="CaseRates"/> in one aggregate query (the same definitions, in SQL).</summary>
    public static async Task<CaseCounts> CountAsync(IQueryable<Case> q, CancellationToken ct)
    {
        var row = await q.GroupBy(_ => 1).Select(g => new
        {
            Received = g.Count(),
            Rejected = g.Count(c => c.Status == CaseStatus.Rejected),
            Responded = g.Count(c => c.RespondedAt != null && c.RespondedAt <= c.ResponseDue),
            Closed = g.Count(c => c.Status == CaseStatus.Closed || c.Status == CaseStatus.Resolved),
            Resolved = g.Count(c => c.Status == CaseStatus.Resolved),
            EverClosed = g.Count(c => c.ClosedAt != null),
            Reopened = g.Count(c => c.ReopenCount > 0),
            Rated = g.Count(c => c.Rating != null),
            Satisfied = g.Count(c => c.Rating >= CaseRates.SatisfiedFrom),
            Minutes = g.Sum(c => c.Status == CaseStatus.Closed || c.Status == CaseStatus.Resolved ? (long)(c.CloseMinutes ?? 0) : 0L),
        }).FirstOrDefaultAsync(ct);
        return row is null ? new CaseCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            : new CaseCounts(row.Received, row.Rejected, row.Responded, row.Closed, row.Resolved, row.EverClosed, row.Reopened, row.Rated, row.Satisfied, row.Minutes);
    }

    // ------------------------------------------------------------ categories and departments

    /// <summary>The path itself and every ancestor's path ("/a/", "/a/b/", "/a/b/c/").</summary>
    public static List<string> AncestorPaths(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Range(1, parts.Length).Select(n => "/" + string.Join("/", parts.Take(n)) + "/").ToList();
    }

    /// <summary>The categories offered (active), or all of them with <paramref name="withRetired"/> (for the editors' page).</summary>
    public async Task<List<CategoryView>> CategoriesAsync(CancellationToken ct = default, bool withRetired = false)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        return await db.CaseCategories.AsNoTracking().Where(c => withRetired || c.Active).OrderBy(c => c.SortOrder).ThenBy(c => c.Name)
            .Select(c => View(c)).ToListAsync(ct);
    }

    /// <summary>Changes a category's deadlines (<see cref="CategoryDeadlineRule"/>); district and street staff only
    /// (<see cref="CaseRoles.CategoryEditors"/>). Audited as an update of the category; open cases keep the deadlines they got.</summary>
    public async Task<Outcome<CategoryView>> UpdateCategoryAsync(Guid id, CategoryInput input, CancellationToken ct = default)
    {
        if (!await user.IsInAnyRoleAsync(CaseRoles.CategoryEditors)) return Outcome<CategoryView>.Missing;
        var errors = CheckCategory(input, requireName: false);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var c = await db.CaseCategories.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Outcome<CategoryView>.Missing;
        var name = input.Name?.Trim();
        if (name is not null && name != c.Name && await db.CaseCategories.AnyAsync(x => x.Name == name && x.Id != id, ct))
            return new FieldErrors().Add("name", $"已有名为“{name}”的类别");
        if (input.Active == false && c.Active && !await db.CaseCategories.AnyAsync(x => x.Active && x.Id != id, ct))
            return new FieldErrors().Add("active", "至少要保留一个启用的类别，居民才能提交诉求");
        c.ResponseHours = input.ResponseHours!.Value;
        c.ResolutionDays = input.ResolutionDays!.Value;
        if (name is not null) c.Name = name;
        if (input.Active is { } active) c.Active = active;
        await db.SaveChangesAsync(ct);
        return View(c);
    }

    /// <summary>A new category (the district or a street adds an issue the seeds did not list). Offered at once to residents
    /// and staff; its code is generated (codes of the first categories are kept for integrations).</summary>
    public async Task<Outcome<CategoryView>> CreateCategoryAsync(CategoryInput input, CancellationToken ct = default)
    {
        if (!await user.IsInAnyRoleAsync(CaseRoles.CategoryEditors)) return Outcome<CategoryView>.Missing;
        var errors = CheckCategory(input, requireName: true);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var name = input.Name!.Trim();
        if (await db.CaseCategories.AnyAsync(x => x.Name == name, ct)) return new FieldErrors().Add("name", $"已有名为“{name}”的类别");
        // Before 其他诉求 (99), after the rest.
        var last = await db.CaseCategories.Where(x => x.SortOrder < 99).MaxAsync(x => (int?)x.SortOrder, ct) ?? 0;
        var c = new CaseCategory
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()), Code = $"c-{Guid.NewGuid():N}"[..14], Name = name,
            ResponseHours = input.ResponseHours!.Value, ResolutionDays = input.ResolutionDays!.Value, SortOrder = Math.Min(98, last + 1), Active = input.Active ?? true,
        };
        db.CaseCategories.Add(c);
        await db.SaveChangesAsync(ct);
        return View(c);
    }

    private static FieldErrors CheckCategory(CategoryInput input, bool requireName)
    {
        var errors = new FieldErrors();
        if (requireName) errors.Required("name", input.Name, "类别名称");
        if (input.Name is not null && string.IsNullOrWhiteSpace(input.Name)) errors.Add("name", "类别名称不能为空");
        errors.MaxLength("name", input.Name?.Trim(), 50, "类别名称");
        foreach (var (field, message) in CategoryDeadlineRule.Check(input.ResponseHours, input.ResolutionDays)) errors.Add(field, message);
        return errors;
    }

    private static CategoryView View(CaseCategory c) => new(c.Id, c.Code, c.Name, c.ResponseHours, c.ResolutionDays, c.Active);

    /// <summary>Departments that can be whistled for cases under <paramref name="orgId"/> (or in the caller's scope).</summary>
    public async Task<Outcome<List<DepartmentView>>> DepartmentsAsync(Guid? orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        IQueryable<Department> q = db.Departments.AsNoTracking().Where(d => d.Active);
        if (orgId is { } id)
        {
            var path = await db.Organizations.Where(o => o.Id == id).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return Outcome<List<DepartmentView>>.Missing;
            var ancestors = AncestorPaths(path);
            q = db.Departments.IgnoreQueryFilters().AsNoTracking().Where(d => d.Active && ancestors.Contains(d.Organization!.Path));
        }
        return await q.OrderBy(d => d.Organization!.Path).ThenBy(d => d.Name)
            .Select(d => new DepartmentView(d.Id, d.Name, d.OrganizationId, d.Organization!.Name, db.DepartmentHandlers.Count(h => h.DepartmentId == d.Id)))
            .ToListAsync(ct);
    }

    public async Task<Outcome<DepartmentView>> CreateDepartmentAsync(Guid? orgId, string? name, CancellationToken ct = default)
    {
        var errors = new FieldErrors().Required("name", name, "部门名称").MaxLength("name", name, 100, "部门名称");
        if (orgId is null) errors.Add("organizationId", "请选择部门服务的街道");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == orgId, ct);
        if (org is null) return Outcome<DepartmentView>.Missing;
        if (org.Kind is not (OrganizationKind.StreetWorkingCommittee or OrganizationKind.DistrictCommittee))
            return new FieldErrors().Add("organizationId", "部门应设在街道或区一级");
        if (await db.Departments.IgnoreQueryFilters().AnyAsync(d => d.OrganizationId == org.Id && d.Name == name!.Trim(), ct))
            return new FieldErrors().Add("name", "该街道已有同名部门");
        var d = new Department { Id = Guid.CreateVersion7(clock.GetUtcNow()), OrganizationId = org.Id, Name = name!.Trim() };
        db.Departments.Add(d);
        await db.SaveChangesAsync(ct);
        return new DepartmentView(d.Id, d.Name, org.Id, org.Name, 0);
    }

    /// <summary>Adds an account with the DepartmentHandler role in the department's area to the department.</summary>
    public async Task<Outcome<DepartmentView>> AddHandlerAsync(Guid departmentId, string? userName, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var d = await db.Departments.Include(x => x.Organization).FirstOrDefaultAsync(x => x.Id == departmentId, ct);
        if (d is null) return Outcome<DepartmentView>.Missing;
        // Write access to the department: the caller must be able to write its organization.
        if (!db.Scope.CanWrite(d.Organization!.Path)) return Outcome<DepartmentView>.Missing;
        var account = await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => u.Id).FirstOrDefaultAsync(ct);
        var assignments = account is null ? [] : await db.RoleAssignments.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.UserId == account && a.Role == Roles.DepartmentHandler).Select(a => a.Organization!.Path).ToListAsync(ct);
        if (account is null || !assignments.Any(p => OrgPath.IsWithin(d.Organization.Path, p) || OrgPath.IsWithin(p, d.Organization.Path)))
            return new FieldErrors().Add("userName", "该账户不存在，或没有本街道的“部门处置人员”角色");
        if (!await db.DepartmentHandlers.AnyAsync(h => h.DepartmentId == d.Id && h.UserId == account, ct))
        {
            db.DepartmentHandlers.Add(new DepartmentHandler { Id = Guid.CreateVersion7(clock.GetUtcNow()), DepartmentId = d.Id, UserId = account });
            db.AuditAs(d, "department.handler");
            await db.SaveChangesAsync(ct);
        }
        return new DepartmentView(d.Id, d.Name, d.OrganizationId, d.Organization.Name, await db.DepartmentHandlers.CountAsync(h => h.DepartmentId == d.Id, ct));
    }
}
