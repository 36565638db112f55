using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Configurations;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Organizations;

public sealed record OrgNode(Guid Id, string Name, OrganizationKind Kind, string KindName, Guid? ParentId, int Depth,
    OrganizationStatus Status, bool HasChildren, List<OrgNode> Children);

public sealed record OrgRef(Guid Id, string Name);

/// <summary>An ancestor on the breadcrumb; those above the caller's scope are shown by name only.</summary>
public sealed record OrgAncestor(Guid? Id, string Name, bool InScope);

public sealed record OrgDetail(Guid Id, string Name, OrganizationKind Kind, string KindName, Guid? ParentId, string? ParentName,
    IReadOnlyList<OrgAncestor> Ancestors, DateOnly? EstablishedOn, DateOnly? TermStart, DateOnly? TermEnd, DateOnly? TermEndEffective,
    bool HasCommittee, OrganizationStatus Status, string StatusName, int SortOrder, int ChildCount, int DescendantCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed class OrgInput
{
    public string? Name { get; set; }
    public OrganizationKind? Kind { get; set; }
    public Guid? ParentId { get; set; }
    public DateOnly? EstablishedOn { get; set; }
    public DateOnly? TermStart { get; set; }
    public DateOnly? TermEnd { get; set; }
    public bool HasCommittee { get; set; }
    public int SortOrder { get; set; }
}

public sealed record MoveInput(Guid? NewParentId);

/// <summary>The outcome of a use case: a value, field errors, or "not found (in your scope)".</summary>
public sealed record Outcome<T>(T? Value, FieldErrors? Errors = null, bool NotFound = false)
{
    public static Outcome<T> Missing { get; } = new(default, null, true);
    public static implicit operator Outcome<T>(T value) => new(value);
    public static implicit operator Outcome<T>(FieldErrors errors) => new(default, errors);
}

/// <summary>The organization tree's use cases, shared by the API and the admin pages. Scope is applied
/// by the context (query filters and the SaveChanges check), never here.</summary>
public sealed class OrganizationService(ScopedDbFactory dbs, TimeProvider clock)
{
    public const int MaxTreeDepth = 10;

    /// <summary>The roots the caller can see: the top of each scope range.</summary>
    public async Task<List<Guid>> ScopeRootsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (db.Scope.All)
            return await db.Organizations.Where(o => o.ParentId == null).OrderBy(o => o.SortOrder).Select(o => o.Id).ToListAsync(ct);
        var paths = db.Scope.Paths;
        return await db.Organizations.Where(o => paths.Contains(o.Path)).OrderBy(o => o.Path).Select(o => o.Id).ToListAsync(ct);
    }

    /// <summary>The subtree under <paramref name="rootId"/> down to <paramref name="depth"/> levels, in one range query.</summary>
    public async Task<Outcome<List<OrgNode>>> TreeAsync(Guid? rootId, int depth, bool includeArchived, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (depth is < 0 or > MaxTreeDepth) return errors.Add("depth", $"层级深度须在0到{MaxTreeDepth}之间");
        var roots = rootId is { } r ? [r] : await ScopeRootsAsync(ct);
        await using var db = await dbs.CreateAsync(ct);
        var result = new List<OrgNode>();
        foreach (var id in roots)
        {
            var root = await db.Organizations.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Path, o.Depth }).FirstOrDefaultAsync(ct);
            if (root is null) return Outcome<List<OrgNode>>.Missing;
            var maxDepth = root.Depth + depth;
            var rows = await db.Organizations.AsNoTracking()
                .InSubtree(root.Path, o => o.Path).Where(o => o.Depth <= maxDepth)
                .Where(o => includeArchived || o.Status == OrganizationStatus.Active)
                .OrderBy(o => o.Depth).ThenBy(o => o.SortOrder).ThenBy(o => o.Name)
                .Select(o => new
                {
                    o.Id, o.Name, o.Kind, o.ParentId, o.Depth, o.Status,
                    HasChildren = db.Organizations.Any(c => c.ParentId == o.Id && (includeArchived || c.Status == OrganizationStatus.Active)),
                })
                .ToListAsync(ct);
            var nodes = rows.ToDictionary(x => x.Id, x => new OrgNode(x.Id, x.Name, x.Kind, x.Kind.ToChinese(), x.ParentId, x.Depth, x.Status, x.HasChildren, []));
            foreach (var x in rows)
                if (x.Id != id && x.ParentId is { } p && nodes.TryGetValue(p, out var parent)) parent.Children.Add(nodes[x.Id]);
            if (nodes.TryGetValue(id, out var top)) result.Add(top);
        }
        return result;
    }

    /// <summary>Organizations in scope whose name contains <paramref name="text"/>, for pickers.</summary>
    public async Task<List<OrgRef>> SearchAsync(string? text, int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var q = db.Organizations.AsNoTracking().Where(o => o.Status == OrganizationStatus.Active);
        if (!string.IsNullOrWhiteSpace(text)) q = q.Where(o => o.Name.Contains(text.Trim()));
        return await q.OrderBy(o => o.Depth).ThenBy(o => o.Name).Take(take).Select(o => new OrgRef(o.Id, o.Name)).ToListAsync(ct);
    }

    /// <summary>Direct children of an organization, for the organization page.</summary>
    public async Task<List<OrgNode>> ChildrenAsync(Guid id, bool includeArchived, CancellationToken ct = default)
    {
        var tree = await TreeAsync(id, 1, includeArchived, ct);
        return tree.Value is [var node, ..] ? node.Children : [];
    }

    public async Task<OrgDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var o = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return null;
        var ancestorIds = OrgPath.Ids(o.Path).Where(a => a != o.Id).ToList();
        // Ancestors above the caller's scope are shown by name only: the path to one's own subtree is not secret.
        var rows = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(a => ancestorIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Path }).ToDictionaryAsync(a => a.Id, ct);
        var ancestors = ancestorIds.Where(rows.ContainsKey).Select(a => db.Scope.Contains(rows[a].Path) ? new OrgAncestor(a, rows[a].Name, true) : new OrgAncestor(null, rows[a].Name, false)).ToList();
        var childCount = await db.Organizations.CountAsync(c => c.ParentId == o.Id, ct);
        var descendants = await db.Organizations.BelowRoot(o.Path, c => c.Path).CountAsync(ct);
        // The parent above the caller's scope is named, but its id is not handed out.
        var parentId = ancestors.LastOrDefault() is { InScope: true } ? o.ParentId : null;
        return new OrgDetail(o.Id, o.Name, o.Kind, o.Kind.ToChinese(), parentId, ancestors.LastOrDefault()?.Name, ancestors,
            o.EstablishedOn, o.TermStart, o.TermEnd, TermPolicy.EffectiveEnd(o.Kind, o.TermStart, o.TermEnd), o.HasCommittee,
            o.Status, o.Status.ToChinese(), o.SortOrder, childCount, descendants, o.CreatedAt, o.UpdatedAt);
    }

    private static FieldErrors Validate(OrgInput input)
    {
        var e = new FieldErrors()
            .Required("name", input.Name, "组织名称")
            .MaxLength("name", input.Name?.Trim(), OrganizationConfiguration.NameMaxLength, "组织名称");
        if (input.Kind is null) e.Add("kind", "请选择组织类型");
        else if (!Enum.IsDefined(input.Kind.Value)) e.Add("kind", "组织类型无效");
        if (input.TermStart is { } s && input.TermEnd is { } t && t <= s) e.Add("termEnd", "任期结束日期须晚于开始日期");
        if (input.SortOrder is < 0 or > 100000) e.Add("sortOrder", "排序号须在0到100000之间");
        return e;
    }

    /// <summary>Paths grow by 33 characters a level; the column holds 700.</summary>
    public const int MaxDepth = 15;

    public async Task<Outcome<OrgDetail>> CreateAsync(OrgInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        await using var db = await dbs.CreateAsync(ct);
        // The parent's path is read under the tree lock, so a concurrent move cannot leave the new node on a stale path.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.OrganizationTree, ct);
        Organization? parent = null;
        if (input.ParentId is { } pid)
        {
            parent = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == pid, ct);
            if (parent is null) errors.Add("parentId", "上级组织不存在");
            else if (parent.Status == OrganizationStatus.Archived) errors.Add("parentId", "上级组织已撤销，不能在其下新建组织");
            else if (parent.Depth + 1 > MaxDepth) errors.Add("parentId", $"组织层级不能超过{MaxDepth + 1}级");
        }
        else if (!db.Scope.All) errors.Add("parentId", "请选择上级组织");
        if (input.Kind is { } k && Enum.IsDefined(k) && (input.ParentId is null || parent is not null)
            && OrganizationHierarchy.CheckPlacement(parent?.Kind, k) is { } placement)
            errors.Add("kind", placement);
        if (errors.Any) return errors;

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var path = parent is null ? OrgPath.Root(id) : OrgPath.Child(parent.Path, id);
        var org = new Organization
        {
            Id = id, Name = input.Name!.Trim(), Kind = input.Kind!.Value, ParentId = parent?.Id, Path = path, Depth = OrgPath.DepthOf(path),
            EstablishedOn = input.EstablishedOn, TermStart = input.TermStart, TermEnd = input.TermEnd, HasCommittee = input.HasCommittee,
            SortOrder = input.SortOrder, CreatedAt = now, UpdatedAt = now,
        };
        db.Organizations.Add(org);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    public async Task<Outcome<OrgDetail>> UpdateAsync(Guid id, OrgInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (org is null) return Outcome<OrgDetail>.Missing;
        if (input.ParentId is { } pid && pid != org.ParentId)
            errors.Add("parentId", "修改上级组织请使用“移动”操作");
        if (input.Kind is { } k && Enum.IsDefined(k) && k != org.Kind)
        {
            var parentKind = org.ParentId is { } p ? await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == p).Select(o => (OrganizationKind?)o.Kind).FirstOrDefaultAsync(ct) : null;
            if (OrganizationHierarchy.CheckPlacement(parentKind, k) is { } placement) errors.Add("kind", placement);
            var childKinds = await db.Organizations.Where(c => c.ParentId == org.Id).Select(c => c.Kind).Distinct().ToListAsync(ct);
            if (childKinds.Select(c => OrganizationHierarchy.CheckPlacement(k, c)).FirstOrDefault(m => m is not null) is { } childProblem)
                errors.Add("kind", $"改为该类型后下级组织不符合要求：{childProblem}");
        }
        if (errors.Any) return errors;
        org.Name = input.Name!.Trim();
        org.Kind = input.Kind!.Value;
        org.EstablishedOn = input.EstablishedOn;
        org.TermStart = input.TermStart;
        org.TermEnd = input.TermEnd;
        org.HasCommittee = input.HasCommittee;
        org.SortOrder = input.SortOrder;
        org.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>Moves a node and rewrites its subtree's paths in one transaction. Refuses a move under
    /// the node itself or any of its descendants.</summary>
    public async Task<Outcome<OrgDetail>> MoveAsync(Guid id, MoveInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        // Checks and rewrite happen under one tree lock: two concurrent moves cannot form a cycle or leave stale paths.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.OrganizationTree, ct);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (org is null) return Outcome<OrgDetail>.Missing;
        var errors = new FieldErrors();
        if (input.NewParentId is not { } newParentId) return errors.Add("newParentId", "请选择新的上级组织");
        var parent = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == newParentId, ct);
        if (parent is null) return errors.Add("newParentId", "新的上级组织不存在");
        if (OrgPath.IsWithin(parent.Path, org.Path)) return errors.Add("newParentId", "不能把组织移动到它自身或它的下级组织之下");
        if (parent.Status == OrganizationStatus.Archived) return errors.Add("newParentId", "新的上级组织已撤销");
        if (OrganizationHierarchy.CheckPlacement(parent.Kind, org.Kind) is { } placement) return errors.Add("newParentId", placement);
        if (parent.Id == org.ParentId) return (await GetAsync(id, ct))!;

        var oldPath = org.Path;
        var newPath = OrgPath.Child(parent.Path, org.Id);
        var delta = OrgPath.DepthOf(newPath) - org.Depth;
        var deepest = await db.Organizations.InSubtree(oldPath, o => o.Path).MaxAsync(o => o.Depth, ct);
        if (deepest + delta > MaxDepth) return errors.Add("newParentId", $"移动后组织层级将超过{MaxDepth + 1}级");
        org.ParentId = parent.Id;
        org.Path = newPath;
        org.Depth += delta;
        org.UpdatedAt = clock.GetUtcNow();
        db.AuditAs(org, AuditActions.Move);
        await db.SaveChangesAsync(ct);
        var oldLength = oldPath.Length;
        await db.Organizations
            .BelowRoot(oldPath, o => o.Path)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Path, o => newPath + o.Path.Substring(oldLength))
                .SetProperty(o => o.Depth, o => o.Depth + delta), ct);
        await MoveCaseStreetsAsync(db, newPath, parent.Path, ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>
    /// The cases of a moved subtree follow it to its new street (<see cref="Domain.Cases.Case.StreetId"/>). A subtree that
    /// holds a street (the street itself, or a level above the streets) keeps its streets, and so its cases' streets: the
    /// placement rules put it above the street level, where no ancestor is a street. Any other subtree lies wholly in one
    /// street, the new parent's.
    /// </summary>
    private static async Task MoveCaseStreetsAsync(JicengDbContext db, string newPath, string parentPath, CancellationToken ct)
    {
        if (await db.Organizations.IgnoreQueryFilters().InSubtree(newPath, o => o.Path).AnyAsync(o => o.Kind == OrganizationKind.StreetWorkingCommittee, ct)) return;
        var street = await db.StreetOfPathAsync(parentPath, ct);
        await db.Cases.IgnoreQueryFilters().InSubtree(newPath, c => c.Organization!.Path)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.StreetId, street), ct);
    }

    public async Task<Outcome<OrgDetail>> ArchiveAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (org is null) return Outcome<OrgDetail>.Missing;
        if (org.Status == OrganizationStatus.Archived) return new FieldErrors().Add("status", "该组织已撤销");
        if (await db.Organizations.AnyAsync(c => c.ParentId == id && c.Status == OrganizationStatus.Active, ct))
            return new FieldErrors().Add("status", "该组织还有下级组织，请先撤销或移走下级组织");
        org.Status = OrganizationStatus.Archived;
        org.UpdatedAt = clock.GetUtcNow();
        db.AuditAs(org, AuditActions.Archive);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }
}
