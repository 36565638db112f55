using Jiceng.Data;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Data.Audit;
using Jiceng.Data.Scope;
using Jiceng.Domain.Grids;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs.Attributes;
using MiniExcel = MiniExcelLibs.MiniExcel;
using H = Jiceng.Web.Features.Grids.HouseholdLedgerColumns;

namespace Jiceng.Web.Features.Grids;

/// <summary>One exported household: the template's columns first (so the file imports again), then the computed ones.</summary>
public sealed class HouseholdLedgerRow
{
    [ExcelColumn(Name = H.Grid, Index = 0, Width = 24)] public string? Grid { get; init; }
    [ExcelColumn(Name = H.Building, Index = 1, Width = 10)] public string? Building { get; init; }
    [ExcelColumn(Name = H.Address, Index = 2, Width = 30)] public string? Address { get; init; }
    [ExcelColumn(Name = H.Members, Index = 3, Width = 40)] public string? Members { get; init; }
    [ExcelColumn(Name = H.Tags, Index = 4, Width = 16)] public string? Tags { get; init; }
    [ExcelColumn(Name = H.Worker, Index = 5, Width = 10)] public string? Worker { get; init; }
    [ExcelColumn(Name = H.LastVisit, Index = 6, Width = 11, Format = "yyyy-MM-dd")] public DateTime? LastVisit { get; init; }
    [ExcelColumn(Name = H.MemberCount, Index = 7, Width = 8)] public int MemberCount { get; init; }
}

/// <summary>One grid of the grid ledger (网格台账).</summary>
public sealed class GridLedgerRow
{
    [ExcelColumn(Name = "社区", Index = 0, Width = 16)] public string? Community { get; init; }
    [ExcelColumn(Name = "网格", Index = 1, Width = 16)] public string? Grid { get; init; }
    [ExcelColumn(Name = "网格党支部", Index = 2, Width = 22)] public string? Branch { get; init; }
    [ExcelColumn(Name = "网格范围", Index = 3, Width = 30)] public string? Boundary { get; init; }
    [ExcelColumn(Name = "住户数", Index = 4, Width = 8)] public int Households { get; init; }
    [ExcelColumn(Name = "专职网格员", Index = 5, Width = 20)] public string? FullTime { get; init; }
    [ExcelColumn(Name = "兼职网格员", Index = 6, Width = 20)] public string? PartTime { get; init; }
    [ExcelColumn(Name = "联户长", Index = 7, Width = 20)] public string? Leads { get; init; }
    [ExcelColumn(Name = "未明确网格员的住户", Index = 8, Width = 10)] public int WithoutWorker { get; init; }
    [ExcelColumn(Name = "联系超过20户的网格员", Index = 9, Width = 20)] public string? Overloaded { get; init; }
}

/// <summary>A household export that has been checked and audited.</summary>
public sealed record HouseholdExport(Guid? GridId, Guid? OrgId, string? Tag, string? Q, int Rows, DateOnly Today)
{
    public string FileName => $"民情台账_{Today:yyyyMMdd}.xlsx";
}

/// <summary>
/// Exports the household ledger and the grid ledger to .xlsx within the caller's scope. Phones are always masked (only the
/// stored masked form is read); every cell passes through <see cref="SpreadsheetText.Escape"/>; each export is audited
/// before any row leaves. Households are read in pages by id and written as they come.
/// </summary>
public sealed class HouseholdExportService(ScopedDbFactory dbs, TimeProvider clock, Microsoft.Extensions.Options.IOptions<JicengOptions> options)
{
    private int PageSize => options.Value.ExportPageSize;

    public async Task<Outcome<HouseholdExport>> StartAsync(Guid? gridId, Guid? orgId, string? tag, string? q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (await GridService.FilterHouseholdsAsync(db, gridId, orgId, tag, q, ct) is not { } rows) return Outcome<HouseholdExport>.Missing;
        var count = await rows.CountAsync(ct);
        var auditOrg = orgId ?? (gridId is { } g ? await db.Grids.Where(x => x.Id == g).Select(x => (Guid?)x.OrganizationId).FirstOrDefaultAsync(ct) : null);
        db.Audit(AuditActions.Export, nameof(Household), null, auditOrg, details: new { filters = new { gridId, orgId, tag, q }, rows = count, revealed = false });
        await db.SaveChangesAsync(ct);
        return new HouseholdExport(gridId, orgId, tag, q, count, clock.Today());
    }

    public Task WriteAsync(HouseholdExport export, Stream output, CancellationToken ct = default) =>
        LedgerWorkbook.StreamAsync(output, async (stream, token) =>
        {
            await using var db = await dbs.CreateAsync(token);
            var rows = await GridService.FilterHouseholdsAsync(db, export.GridId, export.OrgId, export.Tag, export.Q, token)
                ?? throw new InvalidOperationException("The export's scope changed after it was checked");
            MiniExcel.SaveAs(stream, Rows(db, rows, token), sheetName: "民情台账");
        }, ct);

    private IEnumerable<HouseholdLedgerRow> Rows(JicengDbContext db, IQueryable<Household> filtered, CancellationToken ct)
    {
        var grids = db.Grids.AsNoTracking().Select(g => new { g.Id, g.Name, g.CommunityId }).ToDictionary(g => g.Id);
        var communityIds = grids.Values.Select(g => g.CommunityId).Distinct().ToList();
        var communities = db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => communityIds.Contains(o.Id)).ToDictionary(o => o.Id, o => o.Name);
        // Grid names may repeat across communities: "社区/网格" whenever they do, so the file imports back to the same grid.
        var repeated = grids.Values.GroupBy(g => g.Name).Where(x => x.Count() > 1).Select(x => x.Key).ToHashSet();
        string GridName(Guid id) => grids.TryGetValue(id, out var g)
            ? repeated.Contains(g.Name) ? $"{communities.GetValueOrDefault(g.CommunityId, "")}/{g.Name}" : g.Name : "";
        Guid? last = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var q = filtered;
            if (last is { } after) q = q.Where(h => h.Id.CompareTo(after) > 0);
            var page = q.OrderBy(h => h.Id).Take(PageSize).Select(h => new
            {
                h.Id, h.GridId, h.Address, h.Tags,
                Building = db.Buildings.Where(b => b.Id == h.BuildingId).Select(b => b.Name).FirstOrDefault(),
                Worker = db.GridStaff.Where(s => s.Id == h.ResponsibleWorkerId).Select(s => s.Name).FirstOrDefault(),
                LastVisit = db.Visits.Where(v => v.HouseholdId == h.Id).Max(v => (DateOnly?)v.VisitedOn),
            }).ToList();
            var ids = page.Select(p => p.Id).ToList();
            // Names in ordinal order in memory, so both databases write the same cell.
            var members = db.HouseholdMembers.AsNoTracking().Where(m => ids.Contains(m.HouseholdId))
                .Select(m => new { m.HouseholdId, m.Name, m.Relation, m.PhoneMasked }).ToList().OrderBy(m => m.Name, StringComparer.Ordinal).ToLookup(m => m.HouseholdId);
            foreach (var h in page)
            {
                var ms = members[h.Id].ToList();
                yield return new HouseholdLedgerRow
                {
                    Grid = SpreadsheetText.Escape(GridName(h.GridId)),
                    Building = SpreadsheetText.Escape(h.Building),
                    Address = SpreadsheetText.Escape(h.Address),
                    Members = SpreadsheetText.Escape(H.FormatMembers(ms.Select(m => (m.Name, m.Relation, m.PhoneMasked)))),
                    Tags = SpreadsheetText.Escape(string.Join("、", h.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries))),
                    Worker = SpreadsheetText.Escape(h.Worker),
                    LastVisit = h.LastVisit?.ToDateTime(TimeOnly.MinValue),
                    MemberCount = ms.Count,
                };
            }
            if (page.Count < PageSize) yield break;
            last = page[^1].Id;
        }
    }

    /// <summary>The grid ledger of a subtree (or the caller's whole scope): one row per grid with its staff and load alerts. Audited.</summary>
    public async Task<Outcome<byte[]>> GridLedgerAsync(Guid? orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        IQueryable<Grid> q = db.Grids.AsNoTracking();
        if (orgId is { } id)
        {
            var path = await db.Organizations.Where(o => o.Id == id).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return Outcome<byte[]>.Missing;
            q = q.InSubtree(path, g => g.Organization!.Path);
        }
        var grids = await q.OrderBy(g => g.Organization!.Path).Select(g => new
        {
            g.Id, g.Name, g.CommunityId, Branch = g.Organization!.Name, g.Boundary,
            Households = db.Households.Count(h => h.GridId == g.Id),
            WithoutWorker = db.Households.Count(h => h.GridId == g.Id && h.ResponsibleWorkerId == null),
        }).ToListAsync(ct);
        var gridIds = grids.Select(g => g.Id).ToList();
        var staff = (await db.GridStaff.AsNoTracking().Where(s => gridIds.Contains(s.GridId) && s.Active).OrderBy(s => s.Name)
            .Select(s => new { s.GridId, s.Name, s.Kind, s.PhoneMasked, Households = db.Households.Count(h => h.ResponsibleWorkerId == s.Id || h.HouseholdLeadId == s.Id) })
            .ToListAsync(ct)).ToLookup(s => s.GridId);
        var communityIds = grids.Select(g => g.CommunityId).Distinct().ToList();
        var communities = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => communityIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        string People(Guid grid, GridStaffKind kind) =>
            string.Join("、", staff[grid].Where(s => s.Kind == kind).Select(s => s.PhoneMasked is null ? s.Name : $"{s.Name}（{s.PhoneMasked}）"));
        var rows = grids.Select(g => new GridLedgerRow
        {
            Community = SpreadsheetText.Escape(communities.GetValueOrDefault(g.CommunityId)),
            Grid = SpreadsheetText.Escape(g.Name),
            Branch = SpreadsheetText.Escape(g.Branch),
            Boundary = SpreadsheetText.Escape(g.Boundary),
            Households = g.Households,
            FullTime = SpreadsheetText.Escape(People(g.Id, GridStaffKind.FullTime)),
            PartTime = SpreadsheetText.Escape(People(g.Id, GridStaffKind.PartTime)),
            Leads = SpreadsheetText.Escape(People(g.Id, GridStaffKind.HouseholdLead)),
            WithoutWorker = g.WithoutWorker,
            Overloaded = SpreadsheetText.Escape(string.Join("、", staff[g.Id]
                .Where(s => s.Kind != GridStaffKind.HouseholdLead && HouseholdRules.WorkerOverloaded(s.Households)).Select(s => $"{s.Name}（{s.Households}户）"))),
        }).ToList();
        db.Audit(AuditActions.Export, nameof(Grid), null, orgId, details: new { filters = new { orgId }, rows = rows.Count, revealed = false });
        await db.SaveChangesAsync(ct);
        using var ms = new MemoryStream();
        await MiniExcel.SaveAsAsync(ms, rows, sheetName: "网格台账", cancellationToken: ct);
        return ms.ToArray();
    }
}
