using Jiceng.Data;
using Jiceng.Data.Protection;
using Jiceng.Data.Scope;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Grids;

/// <summary>
/// Grids, the household ledger (民情台账) and visits, shared by the API and the pages. Grids and households are
/// organization-owned (written by the community and above, checked in SaveChanges). Visits are recorded by grid
/// workers too, whose role writes no registry data: a visit is checked here instead (the household must be in
/// the caller's scope and the caller must hold a visiting role).
/// </summary>
public sealed class GridService(ScopedDbFactory dbs, CurrentUser user, FieldProtector protector, TimeProvider clock, CaseService cases)
{
    public async Task<Outcome<List<GridSummary>>> ListAsync(Guid? orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        IQueryable<Grid> q = db.Grids.AsNoTracking();
        if (orgId is { } id)
        {
            var path = await db.Organizations.Where(o => o.Id == id).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return Outcome<List<GridSummary>>.Missing;
            q = q.InSubtree(path, g => g.Organization!.Path);
        }
        return await SummariesAsync(db, q.Take(2000), ct);
    }

    private static async Task<List<GridSummary>> SummariesAsync(JicengDbContext db, IQueryable<Grid> q, CancellationToken ct)
    {
        var rows = await q.OrderBy(g => g.Organization!.Path).Select(g => new GridSummary(g.Id, g.Name, g.OrganizationId, g.Organization!.Name, g.CommunityId, "", g.Boundary,
            db.Households.Count(h => h.GridId == g.Id),
            db.GridStaff.Count(s => s.GridId == g.Id && s.Active && s.Kind != GridStaffKind.HouseholdLead),
            db.GridStaff.Count(s => s.GridId == g.Id && s.Active && s.Kind == GridStaffKind.HouseholdLead))).ToListAsync(ct);
        // The community sits above a grid worker's scope: its name is shown (as in the breadcrumb), in a query of its own,
        // because IgnoreQueryFilters would lift the filters of the whole query.
        var ids = rows.Select(r => r.CommunityId).Distinct().ToList();
        var names = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return rows.Select(r => r with { CommunityName = names.GetValueOrDefault(r.CommunityId, "") }).ToList();
    }

    public async Task<GridDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var grid = (await SummariesAsync(db, db.Grids.AsNoTracking().Where(g => g.Id == id), ct)).FirstOrDefault();
        if (grid is null) return null;
        var staff = await db.GridStaff.AsNoTracking().Where(s => s.GridId == id && s.Active).OrderBy(s => s.Kind).ThenBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, s.Kind, s.PhoneMasked, s.UserId, Households = db.Households.Count(h => h.ResponsibleWorkerId == s.Id || h.HouseholdLeadId == s.Id) })
            .ToListAsync(ct);
        var userIds = staff.Where(s => s.UserId != null).Select(s => s.UserId!).ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.GridId == id).OrderBy(b => b.Name).Select(b => b.Name).ToListAsync(ct);
        return new GridDetail(grid, staff.Select(s => new GridStaffView(s.Id, s.Name, s.Kind, s.Kind.ToChinese(), s.PhoneMasked,
            s.UserId is null ? null : names.GetValueOrDefault(s.UserId), s.Households)).ToList(), buildings);
    }

    public async Task<Outcome<GridDetail>> CreateAsync(GridInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors().Required("name", input.Name, "网格名称").MaxLength("name", input.Name, 100, "网格名称").MaxLength("boundary", input.Boundary, 500, "网格范围");
        if (input.OrganizationId is null) errors.Add("organizationId", "请选择网格党支部");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var branch = await db.Organizations.FirstOrDefaultAsync(o => o.Id == input.OrganizationId, ct);
        if (branch is null) return Outcome<GridDetail>.Missing;
        if (branch.Kind != OrganizationKind.GridBranch || branch.ParentId is null) return errors.Add("organizationId", "网格须对应一个社区下的网格党支部");
        if (await db.Grids.IgnoreQueryFilters().AnyAsync(g => g.OrganizationId == branch.Id, ct)) return errors.Add("organizationId", "该网格党支部已对应一个网格");
        var grid = new Grid { Id = Guid.CreateVersion7(clock.GetUtcNow()), OrganizationId = branch.Id, CommunityId = branch.ParentId.Value, Name = input.Name!.Trim(), Boundary = input.Boundary?.Trim(), CreatedAt = clock.GetUtcNow() };
        db.Grids.Add(grid);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(grid.Id, ct))!;
    }

    public async Task<Outcome<GridStaffView>> AddStaffAsync(Guid gridId, GridStaffInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors().Required("name", input.Name, "姓名").MaxLength("name", input.Name, 50, "姓名");
        if (input.Kind is null) errors.Add("kind", "请选择专职网格员、兼职网格员或联户长");
        if (!string.IsNullOrWhiteSpace(input.Phone) && !System.Text.RegularExpressions.Regex.IsMatch(FieldProtector.Normalize(input.Phone, ProtectedKind.Phone), @"^1\d{10}$"))
            errors.Add("phone", "手机号应为11位数字");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var grid = await db.Grids.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gridId, ct);
        if (grid is null) return Outcome<GridStaffView>.Missing;
        string? userId = null;
        if (!string.IsNullOrWhiteSpace(input.UserName))
        {
            userId = await db.Users.AsNoTracking().Where(u => u.UserName == input.UserName).Select(u => u.Id).FirstOrDefaultAsync(ct);
            if (userId is null) return errors.Add("userName", "账户不存在");
        }
        var p = string.IsNullOrWhiteSpace(input.Phone) ? null : protector.Protect(input.Phone, ProtectedKind.Phone);
        var s = new GridStaff { Id = Guid.CreateVersion7(clock.GetUtcNow()), GridId = grid.Id, OrganizationId = grid.OrganizationId, Name = input.Name!.Trim(), Kind = input.Kind!.Value,
            PhoneCipher = p?.Cipher, PhoneHash = p?.Hash, PhoneMasked = p?.Masked, UserId = userId };
        db.GridStaff.Add(s);
        await db.SaveChangesAsync(ct);
        return new GridStaffView(s.Id, s.Name, s.Kind, s.Kind.ToChinese(), s.PhoneMasked, input.UserName, 0);
    }

    /// <summary>Changes a grid's name and boundary (its branch stays: one grid per grid branch).</summary>
    public async Task<Outcome<GridDetail>> UpdateAsync(Guid id, GridInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors().Required("name", input.Name, "网格名称").MaxLength("name", input.Name, 100, "网格名称").MaxLength("boundary", input.Boundary, 500, "网格范围");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var grid = await db.Grids.FirstOrDefaultAsync(g => g.Id == id, ct);
        if (grid is null) return Outcome<GridDetail>.Missing;
        grid.Name = input.Name!.Trim();
        grid.Boundary = string.IsNullOrWhiteSpace(input.Boundary) ? null : input.Boundary.Trim();
        await db.SaveChangesAsync(ct);
        return (await GetAsync(grid.Id, ct))!;
    }

    /// <summary>A worker or household lead leaves the grid: kept for the history (visits name them), no longer active; the
    /// households they held lose them (and show up in the "household without a worker" alert).</summary>
    public async Task<Outcome<GridDetail>> RemoveStaffAsync(Guid gridId, Guid staffId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var s = await db.GridStaff.FirstOrDefaultAsync(x => x.Id == staffId && x.GridId == gridId && x.Active, ct);
        if (s is null) return Outcome<GridDetail>.Missing;
        s.Active = false;
        foreach (var h in await db.Households.Where(h => h.ResponsibleWorkerId == staffId || h.HouseholdLeadId == staffId).ToListAsync(ct))
        {
            if (h.ResponsibleWorkerId == staffId) h.ResponsibleWorkerId = null;
            if (h.HouseholdLeadId == staffId) h.HouseholdLeadId = null;
            h.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        return (await GetAsync(gridId, ct))!;
    }

    /// <summary>Grid branches in the caller's scope that have no grid yet (a new grid needs one).</summary>
    public async Task<List<(Guid Id, string Name)>> FreeBranchesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var rows = await db.Organizations.AsNoTracking()
            .Where(o => o.Kind == OrganizationKind.GridBranch && o.Status == OrganizationStatus.Active && o.ParentId != null && !db.Grids.Any(g => g.OrganizationId == o.Id))
            .OrderBy(o => o.Path).Select(o => new { o.Id, o.Name }).Take(500).ToListAsync(ct);
        // A grid is owned by its branch, so a branch in scope has its grid in scope: the filtered subquery sees it.
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    /// <summary>The grid's own alerts (as <see cref="GridAlertRules"/> raises them): workers over 20 households, households without a worker.</summary>
    public async Task<List<string>> AlertsAsync(Guid gridId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var alerts = new List<string>();
        var loads = await db.GridStaff.AsNoTracking().Where(s => s.GridId == gridId && s.Active && s.Kind != GridStaffKind.HouseholdLead)
            .Select(s => new { s.Name, Count = db.Households.Count(h => h.ResponsibleWorkerId == s.Id) }).ToListAsync(ct);
        alerts.AddRange(loads.Where(l => HouseholdRules.WorkerOverloaded(l.Count))
            .Select(l => $"网格员{l.Name}联系{l.Count}户，超过{HouseholdRules.MaxHouseholdsPerWorker}户，请调整分工"));
        var none = await db.Households.CountAsync(h => h.GridId == gridId && h.ResponsibleWorkerId == null, ct);
        if (none > 0) alerts.Add($"本网格有{none}户未明确联系网格员");
        return alerts;
    }

    // ------------------------------------------------------------ households

    public async Task<Outcome<PagedList<HouseholdSummary>>> HouseholdsAsync(Guid? gridId, Guid? orgId, string? tag, string? q, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        if (await FilterHouseholdsAsync(db, gridId, orgId, tag, q, ct) is not { } rows) return Outcome<PagedList<HouseholdSummary>>.Missing;
        var total = await rows.CountAsync(ct);
        var items = await Project(db, rows.OrderBy(h => h.GridId).ThenBy(h => h.Address).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedList<HouseholdSummary>(items.Select(Finish).ToList(), total, page, pageSize);
    }

    /// <summary>The households of a grid and/or an organization's subtree, by tag and address text; null when the grid or organization is not in scope.</summary>
    public static async Task<IQueryable<Household>?> FilterHouseholdsAsync(JicengDbContext db, Guid? gridId, Guid? orgId, string? tag, string? q, CancellationToken ct)
    {
        IQueryable<Household> rows = db.Households.AsNoTracking();
        if (gridId is { } g)
        {
            if (!await db.Grids.AnyAsync(x => x.Id == g, ct)) return null;
            rows = rows.Where(h => h.GridId == g);
        }
        if (orgId is { } o)
        {
            var path = await db.Organizations.Where(x => x.Id == o).Select(x => x.Path).FirstOrDefaultAsync(ct);
            if (path is null) return null;
            rows = rows.InSubtree(path, h => h.Organization!.Path);
        }
        if (!string.IsNullOrWhiteSpace(tag)) rows = rows.Where(h => ("," + h.Tags + ",").Contains("," + tag.Trim() + ","));
        if (!string.IsNullOrWhiteSpace(q)) rows = rows.Where(h => h.Address.Contains(q.Trim()));
        return rows;
    }

    private sealed record HouseholdRow(Guid Id, Guid GridId, string GridName, string? Building, string Address, string Tags, Guid? WorkerId, string? WorkerName, DateOnly? LastVisit, int Members);

    private static IQueryable<HouseholdRow> Project(JicengDbContext db, IQueryable<Household> q) => q.Select(h => new HouseholdRow(h.Id, h.GridId, h.Grid!.Name,
        db.Buildings.Where(b => b.Id == h.BuildingId).Select(b => b.Name).FirstOrDefault(), h.Address, h.Tags, h.ResponsibleWorkerId,
        db.GridStaff.Where(s => s.Id == h.ResponsibleWorkerId).Select(s => s.Name).FirstOrDefault(),
        db.Visits.Where(v => v.HouseholdId == h.Id).Max(v => (DateOnly?)v.VisitedOn), db.HouseholdMembers.Count(m => m.HouseholdId == h.Id)));

    private static HouseholdSummary Finish(HouseholdRow r) => new(r.Id, r.GridId, r.GridName, r.Building, r.Address,
        r.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries), r.WorkerId, r.WorkerName, r.LastVisit, r.Members);

    public async Task<HouseholdDetail?> HouseholdAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var row = await Project(db, db.Households.AsNoTracking().Where(h => h.Id == id)).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var leadId = await db.Households.Where(h => h.Id == id).Select(h => h.HouseholdLeadId).FirstAsync(ct);
        var lead = leadId is null ? null : await db.GridStaff.Where(s => s.Id == leadId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        var members = await db.HouseholdMembers.AsNoTracking().Where(m => m.HouseholdId == id).OrderBy(m => m.Name)
            .Select(m => new HouseholdMemberView(m.Id, m.Name, m.Relation, m.PhoneMasked)).ToListAsync(ct);
        var visits = await VisitsWithCasesAsync(db, VisitQuery(db.Visits.AsNoTracking().Where(v => v.HouseholdId == id)).Take(50), ct);
        return new HouseholdDetail(Finish(row), lead, members, visits);
    }

    private static IQueryable<VisitView> VisitQuery(IQueryable<Visit> q) =>
        q.OrderByDescending(v => v.VisitedOn).ThenByDescending(v => v.CreatedAt).Select(v => new VisitView(v.Id, v.HouseholdId, v.Household!.Address, v.VisitedOn,
            v.WorkerName, v.Heard, v.FollowUpNeeded, v.CaseId, null));

    /// <summary>Visits with the number of the case each led to (a separate query: the case may have been transferred out of scope).</summary>
    private static async Task<List<VisitView>> VisitsWithCasesAsync(JicengDbContext db, IQueryable<VisitView> q, CancellationToken ct)
    {
        var rows = await q.ToListAsync(ct);
        var ids = rows.Where(r => r.CaseId != null).Select(r => r.CaseId!.Value).ToList();
        if (ids.Count == 0) return rows;
        var numbers = await db.Cases.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Number, ct);
        return rows.Select(r => r.CaseId is { } c ? r with { CaseNumber = numbers.GetValueOrDefault(c) } : r).ToList();
    }

    public async Task<Outcome<HouseholdDetail>> CreateHouseholdAsync(HouseholdInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var grid = input.GridId is { } gid ? await db.Grids.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gid, ct) : null;
        if (input.GridId is not null && grid is null) return Outcome<HouseholdDetail>.Missing;
        var errors = await CheckHouseholdAsync(db, input, grid, null, ct);
        if (errors.Any) return errors;
        var h = new Household { Id = Guid.CreateVersion7(clock.GetUtcNow()), GridId = grid!.Id, OrganizationId = grid.OrganizationId, Address = input.Address!.Trim(), CreatedAt = clock.GetUtcNow() };
        await ApplyAsync(db, h, grid, input, ct);
        db.Households.Add(h);
        await db.SaveChangesAsync(ct);
        return (await HouseholdAsync(h.Id, ct))!;
    }

    public async Task<Outcome<HouseholdDetail>> UpdateHouseholdAsync(Guid id, HouseholdInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var h = await db.Households.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return Outcome<HouseholdDetail>.Missing;
        var grid = await db.Grids.AsNoTracking().FirstAsync(g => g.Id == h.GridId, ct);
        var errors = await CheckHouseholdAsync(db, input, grid, h.Id, ct);
        if (errors.Any) return errors;
        h.Address = input.Address!.Trim();
        if (input.Members is not null) db.HouseholdMembers.RemoveRange(await db.HouseholdMembers.Where(m => m.HouseholdId == h.Id).ToListAsync(ct));
        await ApplyAsync(db, h, grid, input, ct);
        await db.SaveChangesAsync(ct);
        return (await HouseholdAsync(h.Id, ct))!;
    }

    public static FieldErrors CheckHouseholdFields(HouseholdInput input, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        errors.Required("address", input.Address, "住址").MaxLength("address", input.Address, 200, "住址").MaxLength("building", input.Building, 50, "楼栋");
        if (input.GridId is null) errors.Add("gridId", "请选择网格");
        var tags = input.Tags ?? [];
        if (tags.Any(t => t.Contains(',') || t.Length > 20)) errors.Add("tags", "标签不能含逗号，且每个不超过20个字符");
        if (string.Join(",", tags).Length > 200) errors.Add("tags", "标签过多");
        foreach (var (m, i) in (input.Members ?? []).Select((m, i) => (m, i)))
        {
            errors.Required($"members[{i}].name", m.Name, "家庭成员姓名").MaxLength($"members[{i}].name", m.Name, 50, "家庭成员姓名");
            if (!string.IsNullOrWhiteSpace(m.Phone) && !System.Text.RegularExpressions.Regex.IsMatch(FieldProtector.Normalize(m.Phone, ProtectedKind.Phone), @"^(1\d{10}|0\d{9,11})$"))
                errors.Add($"members[{i}].phone", "电话号码格式不正确");
        }
        return errors;
    }

    private static async Task<FieldErrors> CheckHouseholdAsync(JicengDbContext db, HouseholdInput input, Grid? grid, Guid? self, CancellationToken ct)
    {
        var errors = CheckHouseholdFields(input);
        if (grid is null) return errors;
        foreach (var (field, id, lead) in new[] { ("responsibleWorkerId", input.ResponsibleWorkerId, false), ("householdLeadId", input.HouseholdLeadId, true) })
        {
            if (id is not { } sid) continue;
            var s = await db.GridStaff.AsNoTracking().FirstOrDefaultAsync(x => x.Id == sid && x.GridId == grid.Id && x.Active, ct);
            if (s is null) errors.Add(field, "该人员不在本网格");
            else if (lead != (s.Kind == GridStaffKind.HouseholdLead)) errors.Add(field, lead ? "请选择联户长" : "请选择网格员");
        }
        if (!string.IsNullOrWhiteSpace(input.Address) && await db.Households.AnyAsync(h => h.GridId == grid.Id && h.Address == input.Address.Trim() && h.Id != self, ct))
            errors.Add("address", "本网格已有该住址的住户");
        return errors;
    }

    /// <summary>Sets a household's tags, staff, building and (added) members from the checked input; shared with the Excel import.</summary>
    internal async Task ApplyAsync(JicengDbContext db, Household h, Grid grid, HouseholdInput input, CancellationToken ct)
    {
        var building = string.IsNullOrWhiteSpace(input.Building) ? (Guid?)null : await BuildingAsync(db, grid, input.Building.Trim(), ct);
        db.HouseholdMembers.AddRange(Fill(h, grid, input, building));
    }

    /// <summary>Sets a household's tags, staff and building from the checked input and returns its new members (phones protected):
    /// what <see cref="ApplyAsync"/> adds to the context, and what the Excel import writes in bulk.</summary>
    internal List<HouseholdMember> Fill(Household h, Grid grid, HouseholdInput input, Guid? buildingId)
    {
        h.Tags = string.Join(",", (input.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct());
        h.ResponsibleWorkerId = input.ResponsibleWorkerId;
        h.HouseholdLeadId = input.HouseholdLeadId;
        h.UpdatedAt = clock.GetUtcNow();
        h.BuildingId = buildingId;
        var members = new List<HouseholdMember>(input.Members?.Count ?? 0);
        foreach (var m in input.Members ?? [])
        {
            var p = string.IsNullOrWhiteSpace(m.Phone) ? null : protector.Protect(m.Phone, ProtectedKind.Phone);
            members.Add(new HouseholdMember { Id = Guid.CreateVersion7(clock.GetUtcNow()), HouseholdId = h.Id, OrganizationId = grid.OrganizationId,
                Name = m.Name!.Trim(), Relation = m.Relation?.Trim(), PhoneCipher = p?.Cipher, PhoneHash = p?.Hash, PhoneMasked = p?.Masked });
        }
        return members;
    }

    /// <summary>The building of that name in the grid, created when new.</summary>
    public async Task<Guid> BuildingAsync(JicengDbContext db, Grid grid, string name, CancellationToken ct)
    {
        var local = db.Buildings.Local.FirstOrDefault(b => b.GridId == grid.Id && b.Name == name);
        if (local is not null) return local.Id;
        var id = await db.Buildings.Where(b => b.GridId == grid.Id && b.Name == name).Select(b => (Guid?)b.Id).FirstOrDefaultAsync(ct);
        if (id is { } found) return found;
        var b = NewBuilding(grid, name);
        db.Buildings.Add(b);
        return b.Id;
    }

    /// <summary>A new building of the grid (in the grid's organization); <see cref="BuildingAsync"/> and the Excel import add it.</summary>
    internal Building NewBuilding(Grid grid, string name) =>
        new() { Id = Guid.CreateVersion7(clock.GetUtcNow()), GridId = grid.Id, OrganizationId = grid.OrganizationId, Name = name };

    // ------------------------------------------------------------ visits

    public async Task<Outcome<PagedList<VisitView>>> VisitsAsync(Guid? householdId, Guid? orgId, DateOnly? from, DateOnly? to, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        IQueryable<Visit> q = db.Visits.AsNoTracking();
        if (householdId is { } h) q = q.Where(v => v.HouseholdId == h);
        if (orgId is { } o)
        {
            var path = await db.Organizations.Where(x => x.Id == o).Select(x => x.Path).FirstOrDefaultAsync(ct);
            if (path is null) return Outcome<PagedList<VisitView>>.Missing;
            q = q.InSubtree(path, v => v.Organization!.Path);
        }
        if (from is { } f) q = q.Where(v => v.VisitedOn >= f);
        if (to is { } t) q = q.Where(v => v.VisitedOn <= t);
        var total = await q.CountAsync(ct);
        var items = await VisitsWithCasesAsync(db, VisitQuery(q).Skip((page - 1) * pageSize).Take(pageSize), ct);
        return new PagedList<VisitView>(items, total, page, pageSize);
    }

    public async Task<Outcome<VisitView>> RecordVisitAsync(VisitInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors().Required("heard", input.Heard, "走访情况").MaxLength("heard", input.Heard, 2000, "走访情况");
        var today = clock.Today();
        if (input.VisitedOn is { } d && (d > today || d < today.AddYears(-1))) errors.Add("visitedOn", "走访日期须在一年内且不晚于今天");
        if (input.HouseholdId is null) errors.Add("householdId", "请选择住户");
        if (errors.Any) return errors;
        if (!await user.IsInAnyRoleAsync(CaseRoles.Visitors)) return Outcome<VisitView>.Missing;
        await using var db = await dbs.CreateAsync(ct);
        var h = await db.Households.AsNoTracking().FirstOrDefaultAsync(x => x.Id == input.HouseholdId, ct);
        if (h is null) return Outcome<VisitView>.Missing;
        var uid = await user.GetUserIdAsync();
        var worker = input.WorkerId is { } wid
            ? await db.GridStaff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == wid && s.GridId == h.GridId, ct)
            : await db.GridStaff.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == uid && s.GridId == h.GridId, ct);
        if (input.WorkerId is not null && worker is null) return errors.Add("workerId", "该网格员不在本网格");
        var p = await user.GetPrincipalAsync();
        var v = new Visit
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()), HouseholdId = h.Id, OrganizationId = h.OrganizationId, WorkerId = worker?.Id,
            WorkerName = worker?.Name ?? p.FindFirst("display_name")?.Value ?? p.Identity?.Name, VisitedOn = input.VisitedOn ?? today,
            Heard = input.Heard!.Trim(), FollowUpNeeded = input.FollowUpNeeded, RecordedBy = uid, CreatedAt = clock.GetUtcNow(),
        };
        db.Visits.Add(v);
        await db.SaveChangesAsync(ct);
        return (await VisitsWithCasesAsync(db, VisitQuery(db.Visits.AsNoTracking().Where(x => x.Id == v.Id)), ct))[0];
    }

    /// <summary>"A case in one click": the visit's household, grid and words become a case (source 走访).</summary>
    public async Task<Outcome<CaseDetail>> CaseFromVisitAsync(Guid visitId, VisitCaseInput input, CancellationToken ct = default)
    {
        Visit? v;
        Guid gridId;
        await using (var db = await dbs.CreateAsync(ct))
        {
            v = await db.Visits.FirstOrDefaultAsync(x => x.Id == visitId, ct);
            if (v is null) return Outcome<CaseDetail>.Missing;
            if (v.CaseId is not null) return new FieldErrors().Add("visitId", "该走访已转为诉求");
            gridId = await db.Households.Where(h => h.Id == v.HouseholdId).Select(h => h.GridId).FirstAsync(ct);
        }
        var created = await cases.CreateAsync(new StaffCaseInput
        {
            GridId = gridId, HouseholdId = v.HouseholdId, CategoryId = input.CategoryId, Source = CaseSource.Visit,
            Description = string.IsNullOrWhiteSpace(input.Description) ? v.Heard : input.Description,
        }, ct);
        if (created.Value is { } c)
        {
            await using var db = await dbs.CreateAsync(ct);
            var visit = await db.Visits.FirstAsync(x => x.Id == visitId, ct);
            visit.CaseId = c.Id;
            visit.FollowUpNeeded = true;
            await db.SaveChangesAsync(ct);
        }
        return created;
    }

    /// <summary>Coverage (seed 002: each household at least 4 visits a year): households in the subtree with fewer visits
    /// this year, and how many were not visited since the start of last quarter.</summary>
    public async Task<Outcome<CoverageView>> CoverageAsync(Guid orgId, int? year, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var path = await db.Organizations.Where(x => x.Id == orgId).Select(x => x.Path).FirstOrDefaultAsync(ct);
        if (path is null) return Outcome<CoverageView>.Missing;
        var today = clock.Today();
        var y = year ?? today.Year;
        var (yFrom, yTo) = (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
        var quarterFrom = HouseholdRules.LastQuarter(today).From;
        var hh = db.Households.AsNoTracking().InSubtree(path, h => h.Organization!.Path);
        var households = await hh.CountAsync(ct);
        var notVisited = await hh.CountAsync(h => !db.Visits.Any(v => v.HouseholdId == h.Id && v.VisitedOn >= quarterFrom), ct);
        var below = hh.Select(h => new { h, Visits = db.Visits.Count(v => v.HouseholdId == h.Id && v.VisitedOn >= yFrom && v.VisitedOn <= yTo) })
            .Where(x => x.Visits < HouseholdRules.VisitsPerYear);
        var total = await below.CountAsync(ct);
        var rows = await below.OrderBy(x => x.Visits).ThenBy(x => x.h.Address).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new CoverageRow(x.h.Id, x.h.Grid!.Name, x.h.Address, db.GridStaff.Where(s => s.Id == x.h.ResponsibleWorkerId).Select(s => s.Name).FirstOrDefault(),
                x.Visits, db.Visits.Where(v => v.HouseholdId == x.h.Id).Max(v => (DateOnly?)v.VisitedOn)))
            .ToListAsync(ct);
        return new CoverageView(y, households, notVisited, total, rows, total, page, pageSize);
    }
}
