using Jiceng.Data;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Data.Protection;
using Jiceng.Domain.Grids;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using H = Jiceng.Web.Features.Grids.HouseholdLedgerColumns;

namespace Jiceng.Web.Features.Grids;

/// <summary>
/// Imports households (民情台账) from the template (.xlsx) with the member import's rules: the package checked first
/// (<see cref="XlsxPackage"/>), every row validated (the rules of <see cref="GridService.CheckHouseholdFields"/>, the grid found
/// by name or id in the caller's scope, tags from <see cref="HouseholdRules.KnownTags"/>, the grid worker by name in that grid,
/// duplicates within the file and against the ledger), and only when no row has an error all rows are written in one transaction.
/// Grids and staff are loaded once per file and the ledger's addresses checked in batches, so no row costs a query of its own.
/// </summary>
public sealed class HouseholdImportService(ScopedDbFactory dbs, GridService grids, TimeProvider clock, ILogger<HouseholdImportService> log)
{
    public const int MaxRows = 50_000;
    public const int BatchSize = 1000;
    private const int LookupBatch = 1000;

    private sealed record GridRef(Guid Id, string Name, string Community, Grid Entity);
    private sealed record StaffRef(Guid Id, Guid GridId, string Name);
    private sealed record Pending(int Row, Guid GridId, string Address);

    public async Task<ImportResult> ImportAsync(Stream file, CancellationToken ct = default)
    {
        // Around the import, not in it: the import's locals live in its state machine until it completes.
        using var memory = BulkJobMemory.Track(log, "Household import", file);
        return await ImportCoreAsync(file, ct);
    }

    private async Task<ImportResult> ImportCoreAsync(Stream file, CancellationToken ct)
    {
        if (await XlsxPackage.CheckAsync(file, ct) is { } refusal) return new ImportResult { Refusal = refusal };
        await using var db = await dbs.CreateAsync(ct);
        var errors = new ImportErrorList();
        using var rows = LedgerWorkbook.ReadRows(file).GetEnumerator();
        if (!LedgerWorkbook.TryRead(rows, out var first)) return new ImportResult { Refusal = LedgerWorkbook.Empty };
        var header = ImportHeader.Parse(first.Cells, H.Known, H.Required, errors);
        if (errors.Count > 0) return LedgerWorkbook.Invalid(errors);

        // The grids in the caller's scope; a community's name is shown with its grid (as GridService does).
        var gridList = await db.Grids.AsNoTracking().ToListAsync(ct);
        var communityIds = gridList.Select(g => g.CommunityId).Distinct().ToList();
        var communities = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => communityIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var gridRefs = gridList.Select(g => new GridRef(g.Id, g.Name, communities.GetValueOrDefault(g.CommunityId, ""), g)).ToList();
        var byId = gridRefs.ToDictionary(g => g.Id);
        var byName = gridRefs.ToLookup(g => g.Name);
        var staff = (await db.GridStaff.AsNoTracking().Where(s => s.Active && s.Kind != GridStaffKind.HouseholdLead)
            .Select(s => new StaffRef(s.Id, s.GridId, s.Name)).ToListAsync(ct)).ToLookup(s => (s.GridId, s.Name));

        var inputs = new List<(GridRef Grid, HouseholdInput Input)>();
        var seen = new Dictionary<(Guid, string), int>();
        var pending = new List<Pending>(LookupBatch);
        var count = 0;
        while (LedgerWorkbook.TryRead(rows, out var row))
        {
            if (ImportHeader.IsBlank(row.Cells)) continue;
            if (++count > MaxRows) return new ImportResult { Refusal = LedgerWorkbook.TooManyRows(MaxRows) };
            if (count % 1000 == 0) ct.ThrowIfCancellationRequested();
            void Add(string column, string message) => errors.Add(row.Number, column, message);
            string? Text(string column) => header.Text(row.Cells, column);

            GridRef? grid = null;
            if (Text(H.Grid) is not { } gridText) Add(H.Grid, "网格不能为空");
            else if (FindGrid(gridText, byId, byName, out grid) is { } gridError) Add(H.Grid, gridError);

            var input = new HouseholdInput
            {
                GridId = grid?.Id ?? Guid.Empty, Building = Text(H.Building), Address = Text(H.Address),
                Members = H.ParseMembers(Text(H.Members)), Tags = H.ParseTags(Text(H.Tags)),
            };
            var fieldErrors = GridService.CheckHouseholdFields(input);
            foreach (var (field, messages) in fieldErrors.All)
                foreach (var message in messages.Distinct()) Add(H.ForField(field), message);
            if (input.Members!.Any(m => m.Phone?.Contains('*') == true)) Add(H.Members, "电话号码已脱敏（含*），请填写完整号码或不填");
            foreach (var tag in input.Tags!.Where(t => !HouseholdRules.KnownTags.Contains(t)))
                Add(H.Tags, $"标签“{tag}”不在标签清单中，应为：{H.KnownTags}");

            if (grid is not null && Text(H.Worker) is { } workerName)
            {
                var found = staff[(grid.Id, workerName)].ToList();
                if (found.Count == 0) Add(H.Worker, $"网格“{grid.Name}”没有名为“{workerName}”的专职或兼职网格员，请先在网格页面添加");
                else if (found.Count > 1) Add(H.Worker, $"网格“{grid.Name}”有{found.Count}名同名网格员“{workerName}”，请在网格页面区分后再导入");
                else input.ResponsibleWorkerId = found[0].Id;
            }

            if (grid is not null && input.Address is { } address)
            {
                if (seen.TryGetValue((grid.Id, address), out var firstRow)) Add(H.Address, $"与第{firstRow}行是同一网格的同一住址");
                else
                {
                    seen[(grid.Id, address)] = row.Number;
                    pending.Add(new Pending(row.Number, grid.Id, address));
                    if (pending.Count == LookupBatch) await CheckLedgerAsync(db, pending, errors, ct);
                }
            }
            if (grid is not null) inputs.Add((grid, input));
        }
        await CheckLedgerAsync(db, pending, errors, ct);
        if (errors.Count > 0) return LedgerWorkbook.Invalid(errors);
        if (count == 0)
            return new ImportResult { Refusal = new FileRefusal(400, "文件中没有住户数据", "列标题下方没有数据行，请从第2行起每行填写一户") };

        var imported = await InsertAsync(db, inputs, ct);
        log.LogInformation("Imported {Count} households", imported);
        return new ImportResult { Imported = imported };
    }

    private static string? FindGrid(string text, Dictionary<Guid, GridRef> byId, ILookup<string, GridRef> byName, out GridRef? grid)
    {
        grid = null;
        if (Guid.TryParse(text, out var id))
            return byId.TryGetValue(id, out grid) ? null : "网格不存在，或不在您的管理范围内";
        var slash = text.LastIndexOfAny(H.PartSeparators);
        var name = (slash >= 0 ? text[(slash + 1)..] : text).Trim();
        var community = slash >= 0 ? text[..slash].Trim() : null;
        var candidates = byName[name].Where(g => community is null || g.Community == community || g.Community == community + "党委").ToList();
        if (candidates.Count == 0) return $"网格“{text}”不存在，或不在您的管理范围内";
        if (candidates.Count > 1) return $"您的管理范围内有{candidates.Count}个名为“{name}”的网格，请写成“社区名称/{name}”或填写网格ID";
        grid = candidates[0];
        return null;
    }

    /// <summary>The ledger already holds a household at that address in that grid.</summary>
    private static async Task CheckLedgerAsync(JicengDbContext db, List<Pending> pending, ImportErrorList errors, CancellationToken ct)
    {
        if (pending.Count == 0) return;
        var addresses = pending.Select(p => p.Address).Distinct().ToList();
        var gridIds = pending.Select(p => p.GridId).Distinct().ToList();
        var existing = (await db.Households.AsNoTracking().Where(h => addresses.Contains(h.Address) && gridIds.Contains(h.GridId))
            .Select(h => new { h.GridId, h.Address }).ToListAsync(ct)).Select(h => (h.GridId, h.Address)).ToHashSet();
        foreach (var p in pending)
            if (existing.Contains((p.GridId, p.Address))) errors.Add(p.Row, H.Address, "本网格已有该住址的住户");
        pending.Clear();
    }

    /// <summary>
    /// All rows in one transaction through the bulk path (<see cref="JicengDbContext.InsertAuditedAsync{T}"/>, ADR 003): the
    /// buildings the file names that its grids do not have yet, then the households, then their members, each type in batches
    /// with its "create" audit records; any failure rolls back every row. The grids' buildings are read once, not once per row, inside the transaction.
    /// </summary>
    private async Task<int> InsertAsync(JicengDbContext db, List<(GridRef Grid, HouseholdInput Input)> inputs, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The buildings are read inside the transaction (on SQLite under its write lock), so a building added meanwhile is seen.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var gridIds = inputs.Select(i => i.Grid.Id).Distinct().ToList();
        var buildingIds = new Dictionary<(Guid, string), Guid>();
        foreach (var ids in gridIds.Chunk(LookupBatch))
            foreach (var b in await db.Buildings.AsNoTracking().Where(b => ids.Contains(b.GridId)).OrderBy(b => b.Id).Select(b => new { b.GridId, b.Name, b.Id }).ToListAsync(ct))
                buildingIds.TryAdd((b.GridId, b.Name), b.Id);
        var buildings = new List<Building>();
        var households = new List<Household>(inputs.Count);
        var members = new List<HouseholdMember>(inputs.Count * 2);
        foreach (var (grid, input) in inputs)
        {
            Guid? buildingId = null;
            if (!string.IsNullOrWhiteSpace(input.Building))
            {
                var name = input.Building.Trim();
                if (!buildingIds.TryGetValue((grid.Id, name), out var id))
                {
                    var b = grids.NewBuilding(grid.Entity, name);
                    buildings.Add(b);
                    buildingIds[(grid.Id, name)] = id = b.Id;
                }
                buildingId = id;
            }
            var h = new Household { Id = Guid.CreateVersion7(now), GridId = grid.Id, OrganizationId = grid.Entity.OrganizationId, Address = input.Address!.Trim(), CreatedAt = now };
            members.AddRange(grids.Fill(h, grid.Entity, input, buildingId));
            households.Add(h);
        }
        await db.InsertAuditedAsync(buildings, BatchSize, ct);
        await db.InsertAuditedAsync(households, BatchSize, ct);
        await db.InsertAuditedAsync(members, BatchSize, ct);
        await tx.CommitAsync(ct);
        return households.Count;
    }

    /// <summary>The template: the columns, one fictional example row, and a sheet of instructions.</summary>
    public static byte[] Template()
    {
        var example = new Dictionary<string, object?>
        {
            [H.Grid] = "示例社区/示例网格", [H.Building] = "1号楼", [H.Address] = "示例路1号1号楼1单元101室",
            [H.Members] = "张示例/户主/13800000000；李示例/配偶", [H.Tags] = "独居老人", [H.Worker] = "王示例",
        };
        var notes = new List<Dictionary<string, object?>>
        {
            LedgerWorkbook.Note(H.Grid, "必填", "住户所在网格，须在您的管理范围内；填写网格名称，重名时写成“社区名称/网格名称”，或填写网格ID"),
            LedgerWorkbook.Note(H.Building, "选填", "楼栋名称，如“3号楼”，不超过50个字符；网格内没有的楼栋会自动建立"),
            LedgerWorkbook.Note(H.Address, "必填", "不超过200个字符；同一网格内同一住址只能登记一户"),
            LedgerWorkbook.Note(H.Members, "选填", "每人写成“姓名/与户主关系/电话”，关系和电话可不填；多人用“；”隔开。电话为11位手机号或区号开头的固定电话，保存时加密"),
            LedgerWorkbook.Note(H.Tags, "选填", $"多个用“、”隔开，应为：{H.KnownTags}"),
            LedgerWorkbook.Note(H.Worker, "选填", "负责联系该户的专职或兼职网格员姓名，须已在该网格登记；不填则列入“未明确网格员”预警"),
            LedgerWorkbook.Note(H.LastVisit + "、" + H.MemberCount, "不用填（可不加此列）", "导出的民情台账带有这两列，导入时忽略；导出的电话已脱敏，重新导入前须填写完整号码或删除"),
        };
        return LedgerWorkbook.Template("民情台账", example, notes.Concat(LedgerWorkbook.CommonNotes("一户", MaxRows)));
    }
}
