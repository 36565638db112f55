using System.IO.Compression;
using Jiceng.Web.Features.Ledgers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jiceng.Data.Audit;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Features.MemberLedger;
using Jiceng.Web.Infrastructure;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using C = Jiceng.Web.Features.MemberLedger.MemberLedgerColumns;

namespace Jiceng.Web.Tests.Features.MemberLedger;

public sealed class MemberLedgerTests_Sqlite(SqliteApp app) : MemberLedgerTests(app), IClassFixture<SqliteApp>;

public sealed class MemberLedgerTests_Postgres(PostgresApp app) : MemberLedgerTests(app), IClassFixture<PostgresApp>;

public abstract class MemberLedgerTests(JicengApp app)
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static int _sequence = Random.Shared.Next(0, 500);

    // ---------------------------------------------------------------- helpers

    /// <summary>A valid ID number that no demo member has (region 990101 is not a real one).</summary>
    private static string NewIdNumber(DateOnly birth, bool male = true)
    {
        var seq = Interlocked.Increment(ref _sequence) % 500 * 2 + (male ? 1 : 0);
        return IdCardNumber.Complete($"990101{birth:yyyyMMdd}{seq:D3}");
    }

    private static string WithWrongCheckDigit(string id) => id[..17] + (id[17] == '0' ? '1' : '0');

    private static byte[] Workbook(IEnumerable<Dictionary<string, object?>> rows) => Workbooks.Write(rows, "党员信息");

    private static Dictionary<string, object?> Row(string name, string id, string org, string state = "正式党员", object? joined = null, object? full = null,
        string occupation = "在职", string? education = "本科", string? phone = "13900001111", string? residence = null, string? workUnit = null)
    {
        var isFull = state == "正式党员";
        return new()
        {
            [C.Name] = name, [C.IdNumber] = id, [C.Phone] = phone, [C.Ethnicity] = "汉族", [C.Education] = education, [C.Occupation] = occupation,
            [C.WorkUnit] = workUnit, [C.HomeAddress] = "测试路1号", [C.Residence] = residence, [C.Organization] = org, [C.State] = state,
            [C.JoinedOn] = joined ?? (isFull ? "2008-07-01" : TimeProvider.System.Today().AddMonths(-3).ToString("yyyy-MM-dd")),
            [C.FullMemberOn] = full ?? (isFull ? "2009-07-01" : null),
        };
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string fileName = "党员.xlsx") =>
        Workbooks.UploadAsync(client, "/api/v1/members/import", bytes, fileName);

    private static List<IDictionary<string, object>> ReadSheet(byte[] bytes, string? sheet = null) => Workbooks.Read(bytes, sheet);

    private async Task<Guid> ScopeOrgAsync(HttpClient client)
    {
        var me = await client.GetJsonAsync("/api/v1/auth/me");
        return me.GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
    }

    /// <summary>Organizations that hold members under a subtree, with names unique in that subtree.</summary>
    private async Task<List<Organization>> HoldersUnderAsync(Guid rootId)
    {
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == rootId).Select(o => o.Path).SingleAsync();
        var orgs = await db.Organizations.Where(o => o.Path.StartsWith(path) && o.Status == OrganizationStatus.Active).ToListAsync();
        return orgs.Where(o => MemberService.CanHoldMembers(o.Kind)).ToList();
    }

    private async Task<(int Members, long Audit)> CountsAsync()
    {
        await using var db = app.OpenDb();
        return (await db.Members.CountAsync(), await db.AuditEntries.LongCountAsync());
    }

    private string Hash(string id) => app.Services.GetRequiredService<FieldProtector>().Hash(id, ProtectedKind.IdNumber);

    // ---------------------------------------------------------------- template

    [Fact]
    public async Task Template_has_the_chinese_headers_an_example_row_and_instructions()
    {
        var client = await app.LoginAsync("demo-community");
        var response = await client.GetAsync("/api/v1/members/import-template");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe(Xlsx);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        using (var ms = new MemoryStream(bytes)) MiniExcel.GetSheetNames(ms).ShouldBe(["党员信息", "填写说明"]);
        using (var ms = new MemoryStream(bytes))
        {
            var rows = MiniExcel.Query(ms, useHeaderRow: false, sheetName: "党员信息").Cast<IDictionary<string, object>>().ToList();
            rows[0].Values.Select(v => v?.ToString()).ShouldBe(["姓名", "身份证号", "手机号", "民族", "学历", "职业类别", "工作单位", "家庭住址", "居住社区", "所在党组织", "党员类别", "入党日期", "转正日期"]);
            rows.Count.ShouldBe(2);
            IdCardNumber.IsValid(rows[1]["B"]?.ToString()).ShouldBeTrue();
        }
        var notes = ReadSheet(bytes, "填写说明");
        notes.Select(n => n["列名"]?.ToString()).ShouldContain("职业类别");
        notes.Single(n => n["列名"]?.ToString() == "职业类别")["填写要求"].ToString().ShouldBe("在职、退休、学生、农民、下岗失业、其他");

        // Uploaded unchanged, the fictional example is refused: its organization does not exist.
        var before = await CountsAsync();
        var problem = await (await UploadAsync(client, bytes)).ProblemAsync(HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors")[0];
        error.GetProperty("row").GetInt32().ShouldBe(2);
        error.GetProperty("column").GetString().ShouldBe("所在党组织");
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Grid_worker_may_not_import_or_get_the_template()
    {
        var client = await app.LoginAsync("demo-grid");
        (await client.GetAsync("/api/v1/members/import-template")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await UploadAsync(client, Workbook([Row("测试", NewIdNumber(new(1980, 1, 1)), "x")]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    // ---------------------------------------------------------------- import

    [Fact]
    public async Task Valid_file_imports_all_rows_with_mapped_values_and_audit()
    {
        var client = await app.LoginAsync("demo-community");
        var holders = await HoldersUnderAsync(await ScopeOrgAsync(client));
        var grid = holders.First(o => o.Kind == OrganizationKind.GridBranch);
        var group = holders.First(o => o.Kind == OrganizationKind.PartyGroup);
        var groupParent = holders.Single(o => o.Id == group.ParentId);
        string residenceFull;
        await using (var db = app.OpenDb())
        {
            // "某某社区" finds "某某社区党委" when no 党总支 shares the short name.
            var communities = await db.Organizations.Where(o => o.Kind == OrganizationKind.CommunityCommittee || o.Kind == OrganizationKind.GeneralBranch)
                .Select(o => o.Name).ToListAsync();
            residenceFull = communities.Where(n => n.EndsWith("社区党委"))
                .First(n => communities.Count(other => other.StartsWith(n.Replace("社区党委", "社区"))) == 1);
        }

        var ids = new[] { NewIdNumber(new(1975, 3, 4)), NewIdNumber(new(1990, 12, 31), male: false), NewIdNumber(new(2001, 6, 15)) };
        var file = Workbook(
        [
            Row("导入甲", ids[0], grid.Name, joined: new DateTime(2000, 7, 1), full: new DateTime(2001, 7, 1), education: "硕士", residence: residenceFull.Replace("社区党委", "社区")),
            Row("导入乙", ids[1], $"{groupParent.Name}/{group.Name}", joined: 20120701d, full: "2013/7/1", occupation: "下岗失业", education: null, phone: null),
            Row("导入丙", ids[2].ToLowerInvariant(), grid.Id.ToString(), state: "预备党员", occupation: "学生", workUnit: "'=SUM(1,2)"),
        ]);
        var before = await CountsAsync();
        // The community's dues ledger, read (and kept by the ledger cache) before the import, counts the imported members after it:
        // the import stamps its organizations at its end (ADR 009).
        var today = app.Services.GetRequiredService<TimeProvider>().Today();
        var ledgerUrl = $"/api/v1/orgs/{await ScopeOrgAsync(client)}/dues-ledger?month={today:yyyy-MM}";
        var ledgerMembers = (await client.GetJsonAsync(ledgerUrl)).GetProperty("totals").GetProperty("members").GetInt32();

        var answer = await (await UploadAsync(client, file)).JsonAsync(HttpStatusCode.OK);
        answer.GetProperty("imported").GetInt32().ShouldBe(3);
        (await client.GetJsonAsync(ledgerUrl)).GetProperty("totals").GetProperty("members").GetInt32().ShouldBe(ledgerMembers + 3);

        await using var check = app.OpenDb();
        var hashes = ids.Select(Hash).ToList();
        var created = await check.Members.Where(m => hashes.Contains(m.IdNumberHash)).OrderBy(m => m.Name).ToListAsync();
        created.Select(m => m.Name).ShouldBe(["导入丙", "导入乙", "导入甲"]);
        var (c, b, a) = (created[0], created[1], created[2]);
        a.OrganizationId.ShouldBe(grid.Id);
        a.State.ShouldBe(MemberState.Full);
        a.JoinedOn.ShouldBe(new DateOnly(2000, 7, 1));
        a.FullMemberOn.ShouldBe(new DateOnly(2001, 7, 1));
        a.Education.ShouldBe(Education.Master);
        a.BirthDate.ShouldBe(new DateOnly(1975, 3, 4));
        a.Gender.ShouldBe(Gender.Male);
        a.PhoneMasked.ShouldBe("139****1111");
        a.ResidenceCommunityId.ShouldNotBeNull();
        (await check.Organizations.Where(o => o.Id == a.ResidenceCommunityId).Select(o => o.Name).SingleAsync()).ShouldBe(residenceFull);
        b.OrganizationId.ShouldBe(group.Id);
        b.Occupation.ShouldBe(Occupation.Unemployed);
        b.Education.ShouldBe(Education.Unknown);
        b.Gender.ShouldBe(Gender.Female);
        b.JoinedOn.ShouldBe(new DateOnly(2012, 7, 1));
        b.PhoneCipher.ShouldBeNull();
        c.State.ShouldBe(MemberState.Probationary);
        c.FullMemberOn.ShouldBeNull();
        c.Occupation.ShouldBe(Occupation.Student);
        c.WorkUnit.ShouldBe("=SUM(1,2)"); // the export's escape is undone on import
        c.IdNumberMasked.ShouldEndWith(ids[2][^4..]);

        var after = await CountsAsync();
        after.Members.ShouldBe(before.Members + 3);
        var createdIds = created.Select(m => m.Id.ToString()).ToList();
        var audit = await check.AuditEntries.Where(e => e.EntityType == "Member" && createdIds.Contains(e.EntityId!)).ToListAsync();
        audit.Count.ShouldBe(3);
        audit.ShouldAllBe(e => e.Action == AuditActions.Create && e.UserName == "demo-community");

        // The same file again: every ID number is now registered, nothing is added.
        var again = await (await UploadAsync(client, file)).ProblemAsync(HttpStatusCode.BadRequest);
        again.GetProperty("errorCount").GetInt32().ShouldBe(3);
        again.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ShouldAllBe(m => m == "该身份证号已登记为党员");
        (await CountsAsync()).Members.ShouldBe(after.Members);
    }

    [Fact]
    public async Task One_bad_row_writes_nothing_and_returns_the_error_sheet()
    {
        var client = await app.LoginAsync("demo-community");
        var grid = (await HoldersUnderAsync(await ScopeOrgAsync(client))).First(o => o.Kind == OrganizationKind.GridBranch);
        var good1 = NewIdNumber(new(1970, 1, 1));
        var bad = WithWrongCheckDigit(NewIdNumber(new(1980, 2, 2)));
        var good2 = NewIdNumber(new(1985, 5, 5));
        var before = await CountsAsync();

        var response = await UploadAsync(client, Workbook([Row("好甲", good1, grid.Name), Row("坏乙", bad, grid.Name), Row("好丙", good2, grid.Name)]));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().ShouldBe("导入数据有误，未导入任何记录");
        problem.GetProperty("errorCount").GetInt32().ShouldBe(1);
        var error = problem.GetProperty("errors")[0];
        error.GetProperty("row").GetInt32().ShouldBe(3);
        error.GetProperty("column").GetString().ShouldBe("身份证号");
        error.GetProperty("message").GetString().ShouldBe("身份证号校验位不正确");

        var sheet = ReadSheet(Convert.FromBase64String(problem.GetProperty("errorSheet").GetString()!));
        sheet.Count.ShouldBe(1);
        Convert.ToInt32(sheet[0]["行号"]).ShouldBe(3);
        sheet[0]["列"].ShouldBe("身份证号");
        sheet[0]["错误说明"].ShouldBe("身份证号校验位不正确");

        (await CountsAsync()).ShouldBe(before);
        await using var db = app.OpenDb();
        var hashes = new[] { Hash(good1), Hash(good2) };
        (await db.Members.AnyAsync(m => hashes.Contains(m.IdNumberHash))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_suspended_member_is_imported_with_the_suspension_date_or_flagged_without_it()
    {
        var client = await app.LoginAsync("demo-community");
        var grid = (await HoldersUnderAsync(await ScopeOrgAsync(client))).First(o => o.Kind == OrganizationKind.GridBranch);
        var (dated, undated) = (NewIdNumber(new(1971, 3, 3)), NewIdNumber(new(1972, 4, 4)));
        Dictionary<string, object?> Suspended(string name, string id, object? on)
        {
            var row = Row(name, id, grid.Name);
            (row[C.Status], row[C.SuspendedOn]) = ("停止党籍", on);
            return row;
        }
        // A date with another status, or in the future, is an error of its column.
        var wrong = Row("正常丁", NewIdNumber(new(1973, 5, 5)), grid.Name);
        (wrong[C.Status], wrong[C.SuspendedOn]) = ("正常", "2020-01-01");
        var problem = await (await UploadAsync(client, Workbook([wrong, Suspended("未来戊", NewIdNumber(new(1974, 6, 6)), TimeProvider.System.Today().AddDays(1).ToString("yyyy-MM-dd"))])))
            .ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("column").GetString(), e.GetProperty("message").GetString()))
            .ShouldBe([(C.SuspendedOn, "只有状态为停止党籍的党员才填写停止党籍日期"), (C.SuspendedOn, "停止党籍日期不能晚于今天")]);

        await (await UploadAsync(client, Workbook([Suspended("停甲", dated, "2020-03-01"), Suspended("停乙", undated, null)]))).JsonAsync(HttpStatusCode.OK);
        await using var db = app.OpenDb();
        var (hashA, hashB) = (Hash(dated), Hash(undated));
        var a = await db.Members.SingleAsync(m => m.IdNumberHash == hashA);
        var b = await db.Members.SingleAsync(m => m.IdNumberHash == hashB);
        (a.Status, a.SuspendedOn, b.Status, b.SuspendedOn).ShouldBe((MemberStatus.Suspended, new DateOnly(2020, 3, 1), MemberStatus.Suspended, (DateOnly?)null));
        (await db.MemberSuspensions.SingleAsync(x => x.MemberId == a.Id)).SuspendedOn.ShouldBe(new DateOnly(2020, 3, 1));
        (await db.MemberSuspensions.AnyAsync(x => x.MemberId == b.Id)).ShouldBeFalse();
        (await db.AuditEntries.CountAsync(x => x.EntityType == nameof(MemberSuspension) && x.Action == "create" && x.UserName == "demo-community")).ShouldBeGreaterThanOrEqualTo(1);
        // The undated one is found by the data-quality alert.
        await (await app.LoginAsync("demo-sysadmin")).PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await db.Alerts.AnyAsync(x => x.RuleCode == SuspensionDateMissingRule.AlertCode && x.SubjectId == b.Id.ToString() && x.ResolvedAt == null)).ShouldBeTrue();
        (await db.Alerts.AnyAsync(x => x.RuleCode == SuspensionDateMissingRule.AlertCode && x.SubjectId == a.Id.ToString())).ShouldBeFalse();
    }

    [Fact]
    public async Task Duplicates_in_the_file_and_in_the_registry_and_wrong_values_are_errors()
    {
        var client = await app.LoginAsync("demo-community");
        var grid = (await HoldersUnderAsync(await ScopeOrgAsync(client))).First(o => o.Kind == OrganizationKind.GridBranch);
        string registered;
        await using (var db = app.OpenDb())
            registered = app.Services.GetRequiredService<FieldProtector>().Decrypt(await db.Members.OrderBy(m => m.Id).Select(m => m.IdNumberCipher).FirstAsync());
        var id = NewIdNumber(new(1980, 1, 1));
        var before = await CountsAsync();

        var problem = await (await UploadAsync(client, Workbook(
        [
            Row("重复甲", id, grid.Name),
            Row("已登记", registered, grid.Name),
            Row("重复乙", id, grid.Name),
            Row("类别错", NewIdNumber(new(1981, 1, 1)), grid.Name, state: "党员", occupation: "工人"),
            Row("日期错", NewIdNumber(new(1982, 1, 1)), grid.Name, joined: "2010-13-01", full: null),
        ]))).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Message: e.GetProperty("message").GetString())).ToList();
        errors.ShouldContain((3, "身份证号", "该身份证号已登记为党员"));
        errors.ShouldContain((4, "身份证号", "与第2行的身份证号重复"));
        errors.ShouldContain((5, "党员类别", "党员类别应为：正式党员、预备党员"));
        errors.ShouldContain((5, "职业类别", "职业类别应为：在职、退休、学生、农民、下岗失业、其他"));
        errors.ShouldContain((6, "入党日期", "入党日期格式不正确，应为日期，如2010-07-01"));
        errors.Select(e => e.Row).ShouldBe(errors.Select(e => e.Row).Order().ToList()); // in row order
        errors.ShouldNotContain(e => e.Row == 2);
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Organization_outside_the_scope_is_an_error_and_nothing_is_imported()
    {
        var client = await app.LoginAsync("demo-community");
        var own = await ScopeOrgAsync(client);
        var grid = (await HoldersUnderAsync(own)).First(o => o.Kind == OrganizationKind.GridBranch);
        Organization foreign;
        await using (var db = app.OpenDb())
        {
            var ownPath = await db.Organizations.Where(o => o.Id == own).Select(o => o.Path).SingleAsync();
            foreign = await db.Organizations.Where(o => o.Kind == OrganizationKind.GridBranch && !o.Path.StartsWith(ownPath)).OrderBy(o => o.Path).FirstAsync();
        }
        var before = await CountsAsync();

        var problem = await (await UploadAsync(client, Workbook(
        [
            Row("本社区", NewIdNumber(new(1970, 1, 1)), grid.Name),
            Row("外社区按名称", NewIdNumber(new(1971, 1, 1)), foreign.Name),
            Row("外社区按ID", NewIdNumber(new(1972, 1, 1)), foreign.Id.ToString()),
        ]))).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        errors.Count.ShouldBe(2);
        errors[0].GetProperty("row").GetInt32().ShouldBe(3);
        errors[0].GetProperty("column").GetString().ShouldBe("所在党组织");
        errors[0].GetProperty("message").GetString().ShouldBe($"党组织“{foreign.Name}”不存在，或不在您的管理范围内");
        errors[1].GetProperty("row").GetInt32().ShouldBe(4);
        errors[1].GetProperty("message").GetString().ShouldBe("党组织不存在，或不在您的管理范围内");
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Missing_required_columns_are_reported_on_the_header_row()
    {
        var client = await app.LoginAsync("demo-community");
        var row = Row("缺列", NewIdNumber(new(1970, 1, 1)), "x");
        row.Remove(C.Organization);
        row["备注"] = "无";
        var problem = await (await UploadAsync(client, Workbook([row]))).ProblemAsync(HttpStatusCode.BadRequest);
        var messages = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        messages.ShouldContain("缺少必填列“所在党组织”，请使用导入模板");
        messages.ShouldContain("未知的列标题“备注”，请使用导入模板的列标题");
        problem.GetProperty("errors").EnumerateArray().ShouldAllBe(e => e.GetProperty("row").GetInt32() == 1);
    }

    // ---------------------------------------------------------------- upload limits

    [Fact]
    public async Task Renamed_text_file_and_non_excel_zip_are_refused_by_content()
    {
        var client = await app.LoginAsync("demo-community");
        var before = await CountsAsync();
        var csv = Encoding.UTF8.GetBytes("姓名,身份证号\n张三,110105194912310029\n");
        var problem = await (await UploadAsync(client, csv, "党员.xlsx")).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().ShouldBe("文件不是有效的Excel（.xlsx）文件");

        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        await using (var w = new StreamWriter(zip.CreateEntry("readme.txt").Open())) await w.WriteAsync("不是表格");
        problem = await (await UploadAsync(client, ms.ToArray())).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().ShouldBe("文件不是有效的Excel（.xlsx）文件");
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Zip_bomb_and_too_many_entries_are_refused_before_parsing()
    {
        var client = await app.LoginAsync("demo-community");
        var before = await CountsAsync();

        // 250 MB of zeros compress to a few hundred KB.
        using var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var w = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open())) await w.WriteAsync("<Types/>");
            await using (var w = new StreamWriter(zip.CreateEntry("xl/workbook.xml").Open())) await w.WriteAsync("<workbook/>");
            await using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 250; i++) await sheet.WriteAsync(zeros);
        }
        bomb.Length.ShouldBeLessThan(XlsxPackage.MaxFileBytes);
        var problem = await (await UploadAsync(client, bomb.ToArray())).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().ShouldBe("文件解压后过大");

        using var many = new MemoryStream();
        using (var zip = new ZipArchive(many, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml");
            zip.CreateEntry("xl/workbook.xml");
            for (var i = 0; i < XlsxPackage.MaxEntries; i++) zip.CreateEntry($"xl/media/{i}.bin");
        }
        problem = await (await UploadAsync(client, many.ToArray())).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().ShouldBe("文件结构异常");
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task File_over_10_MB_is_refused()
    {
        var client = await app.LoginAsync("demo-community");
        var big = new byte[XlsxPackage.MaxFileBytes + 1];
        "PK\u0003\u0004"u8.CopyTo(big);
        Random.Shared.NextBytes(big.AsSpan(4));
        var problem = await (await UploadAsync(client, big)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        problem.GetProperty("title").GetString().ShouldBe("文件过大");
    }

    // ---------------------------------------------------------------- export

    [Fact]
    public async Task Street_export_holds_only_its_members_masked_escaped_and_audited()
    {
        var client = await app.LoginAsync("demo-street");
        var street = await ScopeOrgAsync(client);
        var branch = (await HoldersUnderAsync(street)).First(o => o.Kind == OrganizationKind.GridBranch);
        const string formula = "=HYPERLINK(\"http://example.invalid\",\"点击\")";
        await client.PostJsonAsync("/api/v1/members", new
        {
            name = "公式单位", idNumber = NewIdNumber(new(1979, 9, 9)), phone = "13700002222", occupation = "Employed", workUnit = formula,
            organizationId = branch.Id, state = "Full", joinedOn = "2005-07-01", fullMemberOn = "2006-07-01",
        }, HttpStatusCode.Created);

        var response = await client.GetAsync("/api/v1/members/export");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe(Xlsx);
        response.Content.Headers.ContentDisposition?.FileNameStar.ShouldStartWith("党员名册_");
        var rows = ReadSheet(await response.Content.ReadAsByteArrayAsync());

        await using var db = app.OpenDb();
        var streetPath = await db.Organizations.Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
        var inStreet = await db.Members.Where(m => m.Organization!.Path.StartsWith(streetPath)).Select(m => m.Name + "|" + m.IdNumberMasked).ToListAsync();
        var elsewhere = await db.Members.Where(m => !m.Organization!.Path.StartsWith(streetPath)).Select(m => m.Name + "|" + m.IdNumberMasked).ToListAsync();
        elsewhere.Count.ShouldBeGreaterThan(1000);
        var exported = rows.Select(r => r[C.Name] + "|" + r[C.IdNumber]).ToList();
        exported.Order().ShouldBe(inStreet.Order());
        exported.Intersect(elsewhere).ShouldBeEmpty();

        var idCells = rows.Select(r => r[C.IdNumber]?.ToString() ?? "").ToList();
        idCells.ShouldAllBe(v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^\d{6}\*{8}[\dX]{4}$"));
        var phoneCells = rows.Select(r => r[C.Phone]?.ToString() ?? "").Where(v => v.Length > 0).ToList();
        phoneCells.Count.ShouldBeGreaterThan(rows.Count / 2);
        phoneCells.ShouldAllBe(v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^1\d{2}\*{4}\d{4}$"));
        var mine = rows.Single(r => (string)r[C.Name] == "公式单位");
        mine[C.WorkUnit].ShouldBe("'" + formula);
        mine[C.Phone].ShouldBe("137****2222");
        mine[C.State].ShouldBe("正式党员");
        mine[C.Status].ShouldBe("正常");

        var audit = await db.AuditEntries.Where(e => e.Action == AuditActions.Export && e.UserName == "demo-street").OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).FirstAsync();
        audit.EntityType.ShouldBe("Member");
        using var details = JsonDocument.Parse(audit.Changes!);
        details.RootElement.GetProperty("rows").GetInt32().ShouldBe(inStreet.Count);
        details.RootElement.GetProperty("revealed").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task District_export_pages_through_every_member_once()
    {
        var client = await app.LoginAsync("demo-district");
        var rows = ReadSheet(await client.GetByteArrayAsync("/api/v1/members/export"));
        await using var db = app.OpenDb();
        var all = await db.Members.Select(m => m.Name + "|" + m.IdNumberMasked).ToListAsync();
        all.Count.ShouldBeGreaterThan(2 * 400); // Jiceng:ExportPageSize in the test app
        rows.Select(r => r[C.Name] + "|" + r[C.IdNumber]).Order().ShouldBe(all.Order());
    }

    [Fact]
    public async Task Export_filters_like_the_list_and_another_streets_org_is_404()
    {
        var client = await app.LoginAsync("demo-street");
        var street = await ScopeOrgAsync(client);
        var branch = (await HoldersUnderAsync(street)).First(o => o.Kind == OrganizationKind.GridBranch);
        var list = await client.GetJsonAsync($"/api/v1/members?orgId={branch.Id}&state=Full&pageSize=200");
        var rows = ReadSheet(await client.GetByteArrayAsync($"/api/v1/members/export?orgId={branch.Id}&state=Full"));
        rows.Count.ShouldBe(list.GetProperty("total").GetInt32());
        rows.Select(r => r[C.State]).ShouldAllBe(v => (string)v == "正式党员");

        Guid other;
        await using (var db = app.OpenDb())
            other = await db.Organizations.Where(o => o.Kind == OrganizationKind.StreetWorkingCommittee && o.Id != street).Select(o => o.Id).FirstAsync();
        await (await client.GetAsync($"/api/v1/members/export?orgId={other}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/v1/members/export?phoneTail=12")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Reveal_is_403_for_a_grid_worker_and_audited_for_a_revealer()
    {
        var grid = await app.LoginAsync("demo-grid");
        var before = await CountsAsync();
        await (await grid.GetAsync("/api/v1/members/export?reveal=true")).ProblemAsync(HttpStatusCode.Forbidden);
        (await CountsAsync()).Audit.ShouldBe(before.Audit);

        // Masked export is open to the grid worker.
        (await grid.GetAsync("/api/v1/members/export")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var client = await app.LoginAsync("demo-community");
        var rows = ReadSheet(await client.GetByteArrayAsync("/api/v1/members/export?reveal=true"));
        rows.Count.ShouldBeGreaterThan(0);
        rows.Select(r => r[C.IdNumber]?.ToString()).ShouldAllBe(v => IdCardNumber.IsValid(v));
        await using var db = app.OpenDb();
        var audit = await db.AuditEntries.Where(e => e.Action == AuditActions.Export && e.UserName == "demo-community").OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).FirstAsync();
        using var details = JsonDocument.Parse(audit.Changes!);
        details.RootElement.GetProperty("revealed").GetBoolean().ShouldBeTrue();
        details.RootElement.GetProperty("rows").GetInt32().ShouldBe(rows.Count);
    }
}
