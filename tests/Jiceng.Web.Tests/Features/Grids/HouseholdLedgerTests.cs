using System.Net;
using Jiceng.Web.Features.Ledgers;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Data.Audit;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using H = Jiceng.Web.Features.Grids.HouseholdLedgerColumns;

namespace Jiceng.Web.Tests.Features.Grids;

public sealed class HouseholdLedgerTests_Sqlite(SqliteApp app) : HouseholdLedgerTests(app), IClassFixture<SqliteApp>;

public sealed class HouseholdLedgerTests_Postgres(PostgresApp app) : HouseholdLedgerTests(app), IClassFixture<PostgresApp>;

/// <summary>Household ledger (民情台账) import and export, and the grid ledger export, over HTTP.</summary>
public abstract class HouseholdLedgerTests(JicengApp app)
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    private static byte[] Workbook(IEnumerable<Dictionary<string, object?>> rows) => Workbooks.Write(rows, "民情台账");

    private static Dictionary<string, object?> Row(string grid, string? address, string? members = null, string? tags = null, string? worker = null, string? building = "9号楼") => new()
    {
        [H.Grid] = grid, [H.Building] = building, [H.Address] = address, [H.Members] = members, [H.Tags] = tags, [H.Worker] = worker,
    };

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes) => Workbooks.UploadAsync(client, "/api/v1/households/import", bytes, "住户.xlsx");

    private static List<IDictionary<string, object>> ReadSheet(byte[] bytes, string? sheet = null) => Workbooks.Read(bytes, sheet);

    private async Task<(int Households, int Members, int Buildings, long Audit)> CountsAsync()
    {
        await using var db = app.OpenDb();
        return (await db.Households.CountAsync(), await db.HouseholdMembers.CountAsync(), await db.Buildings.CountAsync(), await db.AuditEntries.LongCountAsync());
    }

    /// <summary>A grid of demo-community's scope and the name of one of its (non-lead) workers.</summary>
    private async Task<(Guid Id, string Name, string Worker)> MyGridAsync(HttpClient client)
    {
        var grids = await client.GetJsonAsync("/api/v1/grids");
        var names = grids.EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        var grid = grids.EnumerateArray().First(g => names.Count(n => n == g.GetProperty("name").GetString()) == 1);
        var id = grid.GetProperty("id").GetGuid();
        var detail = await client.GetJsonAsync($"/api/v1/grids/{id}");
        var worker = detail.GetProperty("staff").EnumerateArray().First(s => s.GetProperty("kind").GetString() != "HouseholdLead").GetProperty("name").GetString()!;
        return (id, grid.GetProperty("name").GetString()!, worker);
    }

    [Fact]
    public async Task Template_filled_in_imports_exports_masked_and_audited_and_the_export_does_not_import_twice()
    {
        var client = await app.LoginAsync("demo-community");
        var response = await client.GetAsync("/api/v1/households/import-template");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var template = await response.Content.ReadAsByteArrayAsync();
        using (var ms = new MemoryStream(template)) MiniExcel.GetSheetNames(ms).ShouldBe(["民情台账", "填写说明"]);
        ReadSheet(template, "填写说明").Select(n => n["列名"]?.ToString()).ShouldContain(H.Tags);

        // Unchanged, the fictional example is refused on its grid and worker; nothing is written.
        var before = await CountsAsync();
        var problem = await (await UploadAsync(client, template)).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors")[0].GetProperty("row").GetInt32().ShouldBe(2);
        problem.GetProperty("errors")[0].GetProperty("column").GetString().ShouldBe(H.Grid);
        (await CountsAsync()).ShouldBe(before);

        // Filled in with a real grid and worker of the community, it imports.
        var (gridId, gridName, worker) = await MyGridAsync(client);
        var address = Unique("模板路1号");
        var filled = ReadSheet(template, "民情台账").Select(r => r.ToDictionary(c => c.Key, c => (object?)c.Value)).ToList();
        filled.Count.ShouldBe(1);
        filled[0][H.Grid] = gridName;
        filled[0][H.Address] = address;
        filled[0][H.Worker] = worker;
        filled[0][H.Tags] = "独居老人、低保";
        (await (await UploadAsync(client, Workbook(filled))).JsonAsync(HttpStatusCode.OK)).GetProperty("imported").GetInt32().ShouldBe(1);

        await using (var db = app.OpenDb())
        {
            var h = await db.Households.SingleAsync(x => x.Address == address);
            h.GridId.ShouldBe(gridId);
            h.Tags.ShouldBe("独居老人,低保");
            (await db.GridStaff.Where(s => s.Id == h.ResponsibleWorkerId).Select(s => s.Name).SingleAsync()).ShouldBe(worker);
            (await db.Buildings.Where(b => b.Id == h.BuildingId).Select(b => b.Name).SingleAsync()).ShouldBe("1号楼");
            var members = (await db.HouseholdMembers.Where(m => m.HouseholdId == h.Id).ToListAsync()).OrderBy(m => m.Relation, StringComparer.Ordinal).ToList();
            members.Select(m => m.Name).ShouldBe(["张示例", "李示例"]);
            members[0].PhoneMasked.ShouldBe("138****0000");
            members[0].PhoneCipher.ShouldNotBeNull();
            members[0].PhoneCipher!.ShouldNotContain("13800000000");
        }

        var export = await client.GetAsync($"/api/v1/households/export?gridId={gridId}");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Content.Headers.ContentDisposition?.FileNameStar.ShouldStartWith("民情台账_");
        var exported = await export.Content.ReadAsByteArrayAsync();
        var rows = ReadSheet(exported);
        var mine = rows.Single(r => r[H.Address]?.ToString() == address);
        mine[H.Members].ShouldBe("张示例/户主/138****0000；李示例/配偶");
        mine[H.Tags].ShouldBe("独居老人、低保");
        mine[H.Worker].ShouldBe(SpreadsheetText.Escape(worker)); // another test may have added a worker named like a formula
        await using (var db = app.OpenDb())
        {
            rows.Count.ShouldBe(await db.Households.CountAsync(h => h.GridId == gridId));
            var audit = await db.AuditEntries.Where(e => e.Action == AuditActions.Export && e.UserName == "demo-community").OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).FirstAsync();
            audit.EntityType.ShouldBe("Household");
            using var details = JsonDocument.Parse(audit.Changes!);
            details.RootElement.GetProperty("rows").GetInt32().ShouldBe(rows.Count);
        }

        // The export imports as a template would, so its rows are found again: every address is a duplicate, the masked phone refused.
        before = await CountsAsync();
        problem = await (await UploadAsync(client, exported)).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        errors.Count(e => e.GetProperty("message").GetString() == "本网格已有该住址的住户").ShouldBe(rows.Count);
        errors.ShouldContain(e => e.GetProperty("column").GetString() == H.Members && e.GetProperty("message").GetString()!.Contains("已脱敏"));
        (await CountsAsync()).Households.ShouldBe(before.Households);
    }

    [Fact]
    public async Task Many_rows_share_one_new_building_reuse_an_existing_one_and_each_row_is_audited()
    {
        var client = await app.LoginAsync("demo-community");
        var (gridId, gridName, worker) = await MyGridAsync(client);
        var newBuilding = Unique("新楼");
        string existing;
        await using (var db = app.OpenDb())
            existing = await db.Buildings.Where(b => b.GridId == gridId).Select(b => b.Name).FirstOrDefaultAsync() ?? "";
        if (existing == "")
        {
            existing = Unique("旧楼");
            var seed = Workbook([Row(gridName, Unique("旧楼路"), building: existing)]);
            (await (await UploadAsync(client, seed)).JsonAsync(HttpStatusCode.OK)).GetProperty("imported").GetInt32().ShouldBe(1);
        }
        var before = await CountsAsync();
        var prefix = Unique("批量路");
        var tag = prefix[^4..];
        var rows = Enumerable.Range(1, 30).Select(i => Row(gridName, $"{prefix}{i}号", i % 3 == 0 ? $"周{tag}{i}/户主/139000{i:D5}；吴{tag}{i}/配偶" : $"郑{tag}{i}/户主",
            i % 5 == 0 ? "独居老人" : null, i % 2 == 0 ? worker : null, building: i % 2 == 0 ? newBuilding : existing)).ToList();
        (await (await UploadAsync(client, Workbook(rows))).JsonAsync(HttpStatusCode.OK)).GetProperty("imported").GetInt32().ShouldBe(30);

        var after = await CountsAsync();
        (after.Households - before.Households, after.Members - before.Members, after.Buildings - before.Buildings).ShouldBe((30, 40, 1));
        await using (var db = app.OpenDb())
        {
            var imported = await db.Households.Where(h => h.Address.StartsWith(prefix)).ToListAsync();
            imported.Count.ShouldBe(30);
            var buildings = await db.Buildings.Where(b => b.GridId == gridId && (b.Name == newBuilding || b.Name == existing)).ToDictionaryAsync(b => b.Id, b => b.Name);
            buildings.Count.ShouldBe(2);
            imported.ShouldAllBe(h => h.GridId == gridId && h.BuildingId != null);
            imported.Count(h => buildings[h.BuildingId!.Value] == newBuilding).ShouldBe(15);
            imported.Count(h => h.ResponsibleWorkerId != null).ShouldBe(15);
            imported.Count(h => h.Tags == "独居老人").ShouldBe(6);
            var ids = imported.Select(h => h.Id.ToString()).ToList();
            // One "create" record per household, member and new building, by the importing user, on the verified chain.
            (await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Create && a.EntityType == "Household" && ids.Contains(a.EntityId!))).ShouldBe(30);
            (await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Create && a.EntityType == "HouseholdMember" && a.UserName == "demo-community" && a.At >= imported[0].CreatedAt)).ShouldBeGreaterThanOrEqualTo(40);
            var phones = await db.HouseholdMembers.Where(m => m.Name == $"周{tag}3").Select(m => new { m.PhoneMasked, m.PhoneCipher }).SingleAsync();
            (phones.PhoneMasked, phones.PhoneCipher!.Contains("13900000003")).ShouldBe(("139****0003", false));
        }
        (after.Audit - before.Audit).ShouldBe(30 + 40 + 1);
    }

    [Fact]
    public async Task A_bad_file_lists_every_error_by_row_and_column_and_writes_nothing()
    {
        var client = await app.LoginAsync("demo-community");
        var (_, gridName, worker) = await MyGridAsync(client);
        var same = Unique("重复路");
        var file = Workbook(
        [
            Row(gridName, Unique("正确路"), "赵正确/户主/13900001234", "困难家庭", worker),
            Row(gridName, null, "钱无址"),
            Row(gridName, Unique("电话路"), "孙电话/户主/12345"),
            Row(gridName, Unique("标签路"), tags: "独居老人、有钱人"),
            Row(gridName, Unique("员工路"), worker: "不存在的网格员"),
            Row(gridName, same),
            Row(gridName, same),
            Row("没有这个网格", Unique("无网格路")),
        ]);
        var before = await CountsAsync();
        var problem = await (await UploadAsync(client, file)).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Message: e.GetProperty("message").GetString()!)).ToList();
        errors.ShouldNotContain(e => e.Row == 2);
        errors.ShouldContain((3, H.Address, "住址不能为空"));
        errors.ShouldContain((4, H.Members, "电话号码格式不正确"));
        errors.ShouldContain(e => e.Row == 5 && e.Column == H.Tags && e.Message.StartsWith("标签“有钱人”不在标签清单中"));
        errors.ShouldContain(e => e.Row == 6 && e.Column == H.Worker && e.Message.Contains("不存在的网格员"));
        errors.ShouldContain((8, H.Address, "与第7行是同一网格的同一住址"));
        errors.ShouldContain((9, H.Grid, "网格“没有这个网格”不存在，或不在您的管理范围内"));
        problem.GetProperty("errorCount").GetInt32().ShouldBe(errors.Count);
        var sheet = ReadSheet(Convert.FromBase64String(problem.GetProperty("errorSheet").GetString()!));
        sheet.Select(r => Convert.ToInt32(r["行号"])).ShouldBe(errors.Select(e => e.Row));
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_grid_outside_the_scope_is_refused_by_id_and_by_name_and_a_grid_worker_may_not_import()
    {
        var client = await app.LoginAsync("demo-community");
        var mine = (await client.GetJsonAsync("/api/v1/grids")).EnumerateArray().Select(g => g.GetProperty("id").GetGuid()).ToHashSet();
        await using var db = app.OpenDb();
        var all = await db.Grids.ToListAsync();
        var myNames = all.Where(g => mine.Contains(g.Id)).Select(g => g.Name).ToHashSet();
        var outside = all.First(g => !mine.Contains(g.Id) && !myNames.Contains(g.Name));
        var before = await CountsAsync();
        var problem = await (await UploadAsync(client, Workbook([Row(outside.Id.ToString(), Unique("越权路")), Row(outside.Name, Unique("越权路"))])))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("column").GetString()).ShouldBe([H.Grid, H.Grid]);
        errors[0].GetProperty("message").GetString().ShouldBe("网格不存在，或不在您的管理范围内");
        (await CountsAsync()).ShouldBe(before);
        (await client.GetAsync($"/api/v1/households/export?gridId={outside.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var grid = await app.LoginAsync("demo-grid");
        (await grid.GetAsync("/api/v1/households/import-template")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await UploadAsync(grid, Workbook([Row(outside.Name, "x")]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Exports_escape_formula_cells_and_the_grid_ledger_is_masked_and_audited()
    {
        var client = await app.LoginAsync("demo-community");
        var (gridId, _, _) = await MyGridAsync(client);
        const string formula = "=HYPERLINK(\"http://example.invalid\",\"点击\")";
        var address = "+" + Unique("公式路");
        await client.PostJsonAsync("/api/v1/households", new
        {
            gridId, address, building = "@1号楼", members = new[] { new { name = "-公式", relation = "户主", phone = "13700002222" } }, tags = new[] { "残疾" },
        });
        await client.PostJsonAsync($"/api/v1/grids/{gridId}/staff", new { name = formula, kind = "PartTime", phone = "13600003333" });

        var rows = ReadSheet(await (await client.GetAsync($"/api/v1/households/export?gridId={gridId}")).Content.ReadAsByteArrayAsync());
        var mine = rows.Single(r => r[H.Address]?.ToString() == "'" + address);
        mine[H.Building].ShouldBe("'@1号楼");
        mine[H.Members].ShouldBe("'-公式/户主/137****2222");

        var ledger = await client.GetAsync("/api/v1/grids/export");
        ledger.StatusCode.ShouldBe(HttpStatusCode.OK);
        var grids = ReadSheet(await ledger.Content.ReadAsByteArrayAsync());
        var mine2 = grids.Single(g => g["兼职网格员"]?.ToString()?.Contains("HYPERLINK") == true);
        mine2["兼职网格员"]!.ToString()!.ShouldStartWith("'=HYPERLINK");
        mine2["兼职网格员"]!.ToString()!.ShouldContain("136****3333");
        grids.Count.ShouldBe((await client.GetJsonAsync("/api/v1/grids")).GetArrayLength());
        await using var db = app.OpenDb();
        (await db.AuditEntries.Where(e => e.Action == AuditActions.Export && e.UserName == "demo-community" && e.EntityType == "Grid").CountAsync()).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_file_over_10_MB_is_refused_and_a_file_that_is_not_xlsx_too()
    {
        var client = await app.LoginAsync("demo-community");
        var big = new byte[XlsxPackage.MaxFileBytes + 1];
        "PK\u0003\u0004"u8.CopyTo(big);
        Random.Shared.NextBytes(big.AsSpan(4));
        var before = await CountsAsync();
        (await (await UploadAsync(client, big)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("title").GetString().ShouldBe("文件过大");
        (await (await UploadAsync(client, "网格,住址\n"u8.ToArray())).ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("title").GetString().ShouldBe("文件不是有效的Excel（.xlsx）文件");
        (await CountsAsync()).ShouldBe(before);
    }

    // ---------------------------------------------------------------- grid editing and category deadlines (same fixture)

    [Fact]
    public async Task A_grid_is_renamed_and_a_worker_who_leaves_takes_their_households_into_the_no_worker_alert()
    {
        var client = await app.LoginAsync("demo-community");
        var (gridId, _, _) = await MyGridAsync(client);
        var renamed = await client.PutJsonAsync($"/api/v1/grids/{gridId}", new { name = "改名网格", boundary = "东至河边" });
        renamed.GetProperty("grid").GetProperty("name").GetString().ShouldBe("改名网格");
        var bad = await (await client.PutAsJsonAsync($"/api/v1/grids/{gridId}", new { name = "", boundary = new string('界', 501) })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.GetProperty("errors").GetProperty("name")[0].GetString().ShouldBe("网格名称不能为空");
        bad.GetProperty("errors").GetProperty("boundary")[0].GetString().ShouldBe("网格范围不能超过500个字符");

        var worker = await client.PostJsonAsync($"/api/v1/grids/{gridId}/staff", new { name = "临时网格员", kind = "FullTime" });
        var workerId = worker.GetProperty("id").GetGuid();
        var address = Unique("离任路");
        await client.PostJsonAsync("/api/v1/households", new { gridId, address, responsibleWorkerId = workerId });
        var after = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/grids/{gridId}/staff/{workerId}"));
        (await after.JsonAsync(HttpStatusCode.OK)).GetProperty("staff").EnumerateArray().ShouldNotContain(s => s.GetProperty("id").GetGuid() == workerId);
        await using var db = app.OpenDb();
        (await db.Households.Where(h => h.Address == address).Select(h => h.ResponsibleWorkerId).SingleAsync()).ShouldBeNull();
        (await db.GridStaff.Where(s => s.Id == workerId).Select(s => s.Active).SingleAsync()).ShouldBeFalse();
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/grids/{gridId}/staff/{workerId}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Category_deadlines_are_validated_limited_to_district_and_street_and_audited()
    {
        var street = await app.LoginAsync("demo-street");
        var categories = await street.GetJsonAsync("/api/v1/case-categories");
        var category = categories.EnumerateArray().First(c => c.GetProperty("code").GetString() == "sanitation");
        var id = category.GetProperty("id").GetGuid();
        var (hours, days) = (category.GetProperty("responseHours").GetInt32(), category.GetProperty("resolutionDays").GetInt32());

        var zero = await (await street.PutAsJsonAsync($"/api/v1/case-categories/{id}", new { responseHours = 0, resolutionDays = 3 })).ProblemAsync(HttpStatusCode.BadRequest);
        zero.GetProperty("errors").GetProperty("responseHours")[0].GetString().ShouldBe("响应时限须为正整数（小时）");
        var late = await (await street.PutAsJsonAsync($"/api/v1/case-categories/{id}", new { responseHours = 73, resolutionDays = 3 })).ProblemAsync(HttpStatusCode.BadRequest);
        late.GetProperty("errors").GetProperty("responseHours")[0].GetString().ShouldBe("响应时限不能晚于办理时限（3天即72小时）");
        var community = await app.LoginAsync("demo-community");
        (await community.PutAsJsonAsync($"/api/v1/case-categories/{id}", new { responseHours = 12, resolutionDays = 5 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using (var db = app.OpenDb())
            (await db.CaseCategories.Where(c => c.Id == id).Select(c => new { c.ResponseHours, c.ResolutionDays }).SingleAsync()).ShouldBe(new { ResponseHours = hours, ResolutionDays = days });

        var saved = await street.PutJsonAsync($"/api/v1/case-categories/{id}", new { responseHours = 12, resolutionDays = 5 });
        saved.GetProperty("responseHours").GetInt32().ShouldBe(12);
        await using (var db = app.OpenDb())
        {
            var audit = await db.AuditEntries.Where(e => e.EntityType == "CaseCategory" && e.EntityId == id.ToString()).OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).FirstAsync();
            audit.UserName.ShouldBe("demo-street");
            audit.Changes!.ShouldContain("ResponseHours");
            audit.Changes!.ShouldContain("12");
        }
        await street.PutJsonAsync($"/api/v1/case-categories/{id}", new { responseHours = hours, resolutionDays = days });
    }
}
