using Jiceng.Web.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Cases;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.Cases;

/// <summary>The demo district with the public rate limit out of the way (its own test has a fixture with a low limit).</summary>
public sealed class CasesSqliteApp() : CasesApp(TestDatabase.Sqlite);

public sealed class CasesPostgresApp() : CasesApp(TestDatabase.Postgres);

public abstract class CasesApp(TestDatabase database, int permits = 100000) : JicengApp(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jiceng:PublicRateLimitPerMinute", permits.ToString());
    }
}

public sealed class CaseApiTests_Sqlite(CasesSqliteApp app) : CaseApiTests(app), IClassFixture<CasesSqliteApp>;

public sealed class CaseApiTests_Postgres(CasesPostgresApp app) : CaseApiTests(app), IClassFixture<CasesPostgresApp>;

public abstract class CaseApiTests(JicengApp app)
{
    private static int _serial;

    private static string Unique(string text) => $"{text}（测试{Interlocked.Increment(ref _serial)}-{Guid.NewGuid().ToString("N")[..8]}）";

    private async Task<Guid> ScopeOfAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();

    private async Task<(Guid GridId, Guid GridOrg)> StreetGridAsync(HttpClient street)
    {
        var grids = await street.GetJsonAsync($"/api/v1/grids?orgId={await ScopeOfAsync(street)}");
        var g = grids.EnumerateArray().First();
        return (g.Id(), g.GetProperty("organizationId").GetGuid());
    }

    private async Task<Guid> CategoryAsync(string code = "street-vending")
    {
        var anon = app.CreateClient();
        var cats = await anon.GetJsonAsync("/api/v1/public/categories");
        return cats.EnumerateArray().First(c => c.GetProperty("code").GetString() == code).Id();
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/cases") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private async Task<JsonElement> FindByNumberAsync(HttpClient staff, string number)
    {
        await using var db = app.OpenDb();
        var id = await db.Cases.Where(c => c.Number == number).Select(c => c.Id).SingleAsync();
        return await staff.GetJsonAsync($"/api/v1/cases/{id}");
    }

    private static async Task<JsonElement> ActAsync(HttpClient client, JsonElement c, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await client.PostJsonAsync($"/api/v1/cases/{c.Id()}/transitions", body, expected);

    private async Task<HttpClient> DepartmentHandlerAsync(string userName, Guid street, Guid departmentId, string adminUser)
    {
        var security = await app.LoginAsync("demo-secadmin");
        await security.PostJsonAsync("/api/v1/users", new
        {
            userName, displayName = "部门处置（测试）", password = "Strong#Pass1", roles = new[] { new { role = "DepartmentHandler", organizationId = street } },
        });
        var admin = await app.LoginAsync(adminUser);
        await admin.PostJsonAsync($"/api/v1/departments/{departmentId}/handlers", new { userName });
        return await app.LoginAsync(userName, "Strong#Pass1");
    }

    private async Task<CaseCounts> RatesAsync(HttpClient client, Guid org, DateOnly day)
    {
        var r = await client.GetJsonAsync($"/api/v1/orgs/{org}/case-rates?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        return new CaseCounts(r.GetProperty("received").GetInt32(), r.GetProperty("rejected").GetInt32(), r.GetProperty("respondedInTime").GetInt32(),
            r.GetProperty("closed").GetInt32(), r.GetProperty("resolved").GetInt32(), r.GetProperty("everClosed").GetInt32(), r.GetProperty("reopened").GetInt32(),
            r.GetProperty("rated").GetInt32(), r.GetProperty("satisfied").GetInt32(), 0);
    }

    [Fact]
    public async Task A_page_read_newest_first_holds_the_same_cases_in_the_same_order()
    {
        // CaseService.PageRoot: on SQLite a page of many cases walks the cases newest first (INDEXED BY); it must find the same
        // page as the organization index does, with every filter the list applies, on the district and on a street.
        await using var db = app.OpenDb();
        var district = await db.Organizations.IgnoreQueryFilters().Where(o => o.ParentId == null).Select(o => o.Path).FirstAsync();
        var street = await db.Cases.IgnoreQueryFilters().GroupBy(c => c.Organization!.Path.Substring(0, 67)).OrderByDescending(g => g.Count())
            .Select(g => g.Key).FirstAsync();
        var since = await db.Cases.IgnoreQueryFilters().OrderByDescending(c => c.ReceivedAt).Skip(40).Select(c => c.ReceivedAt).FirstAsync();
        List<Guid> Page(bool newestFirst, string path, CaseStatus? status, DateTimeOffset? from, int page)
        {
            var q = CaseService.PageRoot(db, newestFirst).AsNoTracking().IgnoreQueryFilters().Where(c => c.Organization!.Path.StartsWith(path));
            if (status is { } s) q = q.Where(c => c.Status == s);
            if (from is { } f) q = q.Where(c => c.ReceivedAt >= f);
            return q.OrderByDescending(c => c.ReceivedAt).ThenBy(c => c.Id).Skip((page - 1) * 20).Take(20).Select(c => c.Id).ToList();
        }
        foreach (var path in new[] { district, street })
            foreach (var (status, from) in new (CaseStatus?, DateTimeOffset?)[] { (null, null), (CaseStatus.Closed, null), (null, since) })
                foreach (var page in new[] { 1, 2 })
                {
                    var plain = Page(false, path, status, from, page);
                    Page(true, path, status, from, page).ShouldBe(plain, $"{path} {status} {from} page {page}");
                    if (status is null && from is null) plain.ShouldNotBeEmpty();
                }
        var sql = CaseService.PageRoot(db, newestFirst: true).ToQueryString();
        if (db.IsPostgres) sql.ShouldNotContain("INDEXED BY");
        else sql.ShouldContain("INDEXED BY \"IX_Cases_ReceivedAt\"");
    }

    /// <summary>Each case's street as the tree says: the organization's ancestor-or-self of the street kind (Case.StreetId).</summary>
    private static async Task<Dictionary<Guid, Guid?>> StreetsFromTreeAsync(Jiceng.Data.JicengDbContext db)
    {
        var orgs = await db.Organizations.IgnoreQueryFilters().Select(o => new { o.Id, o.Path, o.Kind }).ToListAsync();
        var streets = orgs.Where(o => o.Kind == Jiceng.Domain.Organizations.OrganizationKind.StreetWorkingCommittee).ToList();
        return orgs.ToDictionary(o => o.Id, o => streets.Where(s => o.Path.StartsWith(s.Path, StringComparison.Ordinal)).Select(s => (Guid?)s.Id).SingleOrDefault());
    }

    [Fact]
    public async Task A_case_is_filed_under_its_street_and_follows_a_transfer_and_a_move_of_its_community()
    {
        var district = await app.LoginAsync("demo-district");
        await using var db = app.OpenDb();
        var streets = await db.Organizations.IgnoreQueryFilters().Where(o => o.Kind == Jiceng.Domain.Organizations.OrganizationKind.StreetWorkingCommittee)
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Id).Select(o => o.Id).Take(3).ToListAsync();
        streets.Count.ShouldBe(3);
        var community = (await district.PostJsonAsync("/api/v1/orgs", new { name = Unique("街道归属测试社区党委"), kind = "CommunityCommittee", parentId = streets[0] }, HttpStatusCode.Created)).Id();
        var branch = (await district.PostJsonAsync("/api/v1/orgs", new { name = Unique("街道归属测试网格党支部"), kind = "GridBranch", parentId = community }, HttpStatusCode.Created)).Id();
        var category = await CategoryAsync();
        async Task<JsonElement> HotlineAsync(Guid org) => await district.PostJsonAsync("/api/v1/cases",
            new { organizationId = org, categoryId = category, source = "Hotline", description = Unique("楼道堆放杂物") }, HttpStatusCode.Created);
        async Task<Guid?> StreetOfCaseAsync(JsonElement c) => await db.Cases.IgnoreQueryFilters().Where(x => x.Id == c.Id()).Select(x => x.StreetId).SingleAsync();
        async Task<List<Guid>> ListAsync(Guid org) =>
            (await district.GetJsonAsync($"/api/v1/cases?orgId={org}&pageSize=100")).GetProperty("items").EnumerateArray().Select(x => x.Id()).ToList();

        // Filed at a grid branch: its street is the branch's grandparent; the street's and the community's lists hold it.
        var stays = await HotlineAsync(branch);
        (await StreetOfCaseAsync(stays)).ShouldBe(streets[0]);
        (await ListAsync(streets[0])).ShouldContain(stays.Id());
        (await ListAsync(community)).ShouldContain(stays.Id());
        (await ListAsync(streets[1])).ShouldNotContain(stays.Id());

        // Transferred to another street: the case moves with it.
        var transferred = await HotlineAsync(branch);
        transferred = await ActAsync(district, transferred, new { action = "transfer", version = transferred.GetProperty("version").GetInt32(), organizationId = streets[1], text = "属另一街道辖区" });
        (await StreetOfCaseAsync(transferred)).ShouldBe(streets[1]);
        (await ListAsync(streets[1])).ShouldContain(transferred.Id());
        (await ListAsync(streets[0])).ShouldNotContain(transferred.Id());

        // The community moves to a third street: its cases follow; the transferred one stays where it went.
        await district.PostJsonAsync($"/api/v1/orgs/{community}/move", new { newParentId = streets[2] });
        (await StreetOfCaseAsync(stays)).ShouldBe(streets[2]);
        (await StreetOfCaseAsync(transferred)).ShouldBe(streets[1]);
        (await ListAsync(streets[2])).ShouldContain(stays.Id());
        (await ListAsync(streets[0])).ShouldNotContain(stays.Id());
        (await ListAsync(community)).ShouldContain(stays.Id());

        // Filed at a street itself, its street is itself; at the district (above the streets), none.
        (await StreetOfCaseAsync(await HotlineAsync(streets[1]))).ShouldBe(streets[1]);
        var root = await db.Organizations.IgnoreQueryFilters().Where(o => o.ParentId == null).Select(o => o.Id).SingleAsync();
        (await StreetOfCaseAsync(await HotlineAsync(root))).ShouldBeNull();
    }

    [Fact]
    public async Task Every_case_has_the_street_of_its_organization_and_the_migration_sets_it_again_the_same()
    {
        // Whatever made the cases (the demo, submissions, staff, transfers in the other tests), the column agrees with the tree.
        await using var db = app.OpenDb();
        var fromTree = await StreetsFromTreeAsync(db);
        var stored = await db.Cases.IgnoreQueryFilters().Select(c => new { c.Id, c.OrganizationId, c.StreetId }).ToListAsync();
        stored.ShouldNotBeEmpty();
        stored.Where(c => c.StreetId is not null).ShouldNotBeEmpty();
        stored.Where(c => fromTree[c.OrganizationId] != c.StreetId).ShouldBeEmpty();

        // The migration's backfill, run over cleared streets, sets every one of them again (both providers' SQL).
        await db.Cases.IgnoreQueryFilters().ExecuteUpdateAsync(x => x.SetProperty(c => c.StreetId, (Guid?)null));
        await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? Jiceng.Data.Migrations.Postgres.Migrations.CaseStreet.BackfillSql
            : Jiceng.Data.Migrations.Sqlite.Migrations.CaseStreet.BackfillSql);
        var again = await db.Cases.IgnoreQueryFilters().Select(c => new { c.Id, c.StreetId }).ToDictionaryAsync(c => c.Id, c => c.StreetId);
        stored.Where(c => again[c.Id] != c.StreetId).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_street_list_and_a_community_list_hold_exactly_their_subtrees_cases_newest_first()
    {
        var district = await app.LoginAsync("demo-district");
        await using var db = app.OpenDb();
        var street = await db.Cases.IgnoreQueryFilters().Where(c => c.StreetId != null).GroupBy(c => c.StreetId).OrderByDescending(g => g.Count())
            .Select(g => g.Key!.Value).FirstAsync();
        var streetPath = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
        var community = await db.Organizations.IgnoreQueryFilters().Where(o => o.ParentId == street && o.Kind == Jiceng.Domain.Organizations.OrganizationKind.CommunityCommittee)
            .OrderBy(o => o.Id).Select(o => new { o.Id, o.Path }).FirstAsync();
        foreach (var (org, path) in new[] { (street, streetPath), (community.Id, community.Path) })
        {
            // Ordered by the database, as the list is (its order of ids is the database's, not .NET's).
            var expected = await db.Cases.IgnoreQueryFilters().Where(c => c.Organization!.Path.StartsWith(path))
                .OrderByDescending(c => c.ReceivedAt).ThenBy(c => c.Id).Select(c => c.Id).ToListAsync();
            expected.ShouldNotBeEmpty();
            for (var page = 1; page <= 2; page++)
            {
                var list = await district.GetJsonAsync($"/api/v1/cases?orgId={org}&pageSize=20&page={page}");
                list.GetProperty("total").GetInt32().ShouldBe(expected.Count);
                list.GetProperty("items").EnumerateArray().Select(x => x.Id()).ToList().ShouldBe(expected.Skip((page - 1) * 20).Take(20).ToList(), $"{path} page {page}");
            }
        }
    }

    [Fact]
    public async Task QR_submission_is_tracked_whistled_to_two_departments_reported_closed_reopened_closed_confirmed_and_counted()
    {
        var street = await app.LoginAsync("demo-street");
        var streetId = await ScopeOfAsync(street);
        var (gridId, gridOrg) = await StreetGridAsync(street);
        var category = await CategoryAsync();
        var today = TimeProvider.System.Today();
        var before = await RatesAsync(street, gridOrg, today);

        // The resident opens the grid's QR link and submits, without an account.
        var resident = app.CreateClient();
        var grid = await resident.GetJsonAsync($"/api/v1/public/grids/{gridId}");
        grid.GetProperty("name").GetString().ShouldNotBeNullOrEmpty();
        var description = Unique("小区门口流动摊贩占道经营");
        var submitted = await (await SubmitAsync(resident, new { gridId, categoryId = category, description, place = "东门", phone = "13912345678" }, Guid.NewGuid().ToString()))
            .JsonAsync(HttpStatusCode.Created);
        var code = submitted.GetProperty("trackingCode").GetString()!;
        code.Length.ShouldBe(TrackingCode.Length);
        var tracked = await resident.GetJsonAsync($"/api/v1/public/cases/{code}");
        tracked.GetProperty("status").GetString().ShouldBe("Received");
        tracked.GetRawText().ShouldNotContain("13912345678");

        var c = await FindByNumberAsync(street, submitted.GetProperty("number").GetString()!);
        c.GetProperty("phoneMasked").GetString().ShouldBe("139****5678");
        c.GetProperty("source").GetString().ShouldBe("QrCode");
        c = await ActAsync(street, c, new { action = "accept", version = c.GetProperty("version").GetInt32() });
        c.GetProperty("status").GetString().ShouldBe("Accepted");

        // 街道吹哨: two departments of this street.
        var departments = await street.GetJsonAsync($"/api/v1/departments?orgId={gridOrg}");
        var chengguan = departments.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "城管执法中队").Id();
        var market = departments.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "市场监管所").Id();
        c = await ActAsync(street, c, new { action = "whistle", version = c.GetProperty("version").GetInt32(), departmentIds = new[] { chengguan, market }, text = "请联合执法" });
        c.GetProperty("status").GetString().ShouldBe("Whistled");
        c.GetProperty("dispatches").GetArrayLength().ShouldBe(2);
        (await (await street.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "close", version = c.GetProperty("version").GetInt32(), text = "已办" }))
            .ProblemAsync(HttpStatusCode.BadRequest)).FieldError("action").ShouldBe("还有2个部门未反馈处置情况，不能办结");

        // 部门报到: each department accepts and reports back; the handler sees only cases whistled to it.
        var dept = await app.LoginAsync("demo-dept");
        var inbox = await dept.GetJsonAsync("/api/v1/cases?pageSize=200");
        inbox.GetProperty("items").EnumerateArray().ShouldContain(x => x.Id() == c.Id());
        await using (var db = app.OpenDb())
        {
            var whistledToDept = await db.CaseDispatches.CountAsync(d => d.DepartmentId == chengguan);
            inbox.GetProperty("total").GetInt32().ShouldBe(whistledToDept);
            inbox.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
        }
        var d1 = await dept.GetJsonAsync($"/api/v1/cases/{c.Id()}");
        d1.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ShouldContain("department-accept");
        d1 = await ActAsync(dept, d1, new { action = "department-accept", version = d1.GetProperty("version").GetInt32() });
        (await dept.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "close", version = d1.GetProperty("version").GetInt32(), text = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        d1 = await ActAsync(dept, d1, new { action = "report", version = d1.GetProperty("version").GetInt32(), text = "已劝离摊贩并设置提示牌" });

        var marketHandler = await DepartmentHandlerAsync($"market-{Guid.NewGuid():N}"[..20], streetId, market, "demo-street");
        var d2 = await marketHandler.GetJsonAsync($"/api/v1/cases/{c.Id()}");
        d2 = await ActAsync(marketHandler, d2, new { action = "department-accept", version = d2.GetProperty("version").GetInt32() });
        d2 = await ActAsync(marketHandler, d2, new { action = "report", version = d2.GetProperty("version").GetInt32(), text = "已对周边商户开展检查" });
        d2.GetProperty("dispatches").EnumerateArray().ShouldAllBe(d => d.GetProperty("status").GetString() == "Reported");

        c = await street.GetJsonAsync($"/api/v1/cases/{c.Id()}");
        c = await ActAsync(street, c, new { action = "close", version = c.GetProperty("version").GetInt32(), text = "摊贩已劝离，设置禁止占道提示" });
        c.GetProperty("status").GetString().ShouldBe("Closed");

        // The resident is not satisfied and reopens; the street closes again; the resident confirms and rates.
        var reopen = await (await resident.PostAsJsonAsync($"/api/v1/public/cases/{code}/reopen", new { text = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        reopen.FieldError("text").ShouldBe("重办理由不能为空");
        (await resident.PostJsonAsync($"/api/v1/public/cases/{code}/reopen", new { text = "晚上摊贩又回来了" })).GetProperty("status").GetString().ShouldBe("Reopened");
        c = await street.GetJsonAsync($"/api/v1/cases/{c.Id()}");
        c = await ActAsync(street, c, new { action = "close", version = c.GetProperty("version").GetInt32(), text = "增加夜间巡查" });
        await resident.PostJsonAsync($"/api/v1/public/cases/{code}/comments", new { text = "这几天确实没有了" });
        var confirmed = await resident.PostJsonAsync($"/api/v1/public/cases/{code}/confirm", new { });
        confirmed.GetProperty("status").GetString().ShouldBe("Resolved");
        (await resident.PostJsonAsync($"/api/v1/public/cases/{code}/rating", new { rating = 5 })).GetProperty("rating").GetInt32().ShouldBe(5);
        (await (await resident.PostAsJsonAsync($"/api/v1/public/cases/{code}/rating", new { rating = 4 })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("rating").ShouldBe("已评价过，不能重复评价");

        var progress = (await resident.GetJsonAsync($"/api/v1/public/cases/{code}")).GetProperty("progress").EnumerateArray().Select(e => e.GetProperty("actionName").GetString()).ToList();
        progress.ShouldBe(["登记", "响应受理", "街道吹哨", "部门报到", "部门反馈", "部门报到", "部门反馈", "办结", "居民申请重办", "办结", "补充说明", "居民确认解决", "满意度评价"]);

        // Rates count this case once: closed and resolved, reopened once, rated satisfied.
        var after = await RatesAsync(street, gridOrg, today);
        (after.Received - before.Received).ShouldBe(1);
        (after.RespondedInTime - before.RespondedInTime).ShouldBe(1);
        (after.Closed - before.Closed).ShouldBe(1);
        (after.Resolved - before.Resolved).ShouldBe(1);
        (after.EverClosed - before.EverClosed).ShouldBe(1);
        (after.Reopened - before.Reopened).ShouldBe(1);
        (after.Satisfied - before.Satisfied).ShouldBe(1);

        // And the SQL counts are the domain's definitions over the same records.
        await using (var db = app.OpenDb())
        {
            var (from, to) = CaseService.ChinaDays(today, today);
            var path = await db.Organizations.Where(o => o.Id == gridOrg).Select(o => o.Path).SingleAsync();
            var facts = (await db.Cases.Where(x => x.Organization!.Path.StartsWith(path)).ToListAsync())
                .Where(x => x.ReceivedAt >= from && x.ReceivedAt < to)
                .Select(x => new CaseFacts(x.Status, x.ReceivedAt, x.ResponseDue, x.RespondedAt, x.ClosedAt, x.ReopenCount, x.Rating, x.CloseMinutes));
            (CaseRates.Count(facts) with { CloseMinutesTotal = 0 }).ShouldBe(after);
        }
        var rates = await street.GetJsonAsync($"/api/v1/orgs/{streetId}/case-rates?from={today.AddDays(-100):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        rates.GetProperty("closedRate").GetDouble().ShouldBeGreaterThan(rates.GetProperty("resolvedRate").GetDouble());
    }

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_first_answer_a_changed_body_is_refused_and_one_case_exists()
    {
        var street = await app.LoginAsync("demo-street");
        var (gridId, _) = await StreetGridAsync(street);
        var category = await CategoryAsync("sanitation");
        var resident = app.CreateClient();
        var description = Unique("垃圾桶满溢");
        var key = Guid.NewGuid().ToString();
        var body = new { gridId, categoryId = category, description };
        var first = await (await SubmitAsync(resident, body, key)).JsonAsync(HttpStatusCode.Created);
        var retry = await (await SubmitAsync(resident, body, key)).JsonAsync(HttpStatusCode.Created);
        retry.GetProperty("trackingCode").GetString().ShouldBe(first.GetProperty("trackingCode").GetString());
        var changed = await (await SubmitAsync(resident, new { gridId, categoryId = category, description = description + "！" }, key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        changed.FieldError("Idempotency-Key").ShouldContain("不同内容");

        // Five copies at once: each is the first answer or "in flight"; still one case.
        var key2 = Guid.NewGuid().ToString();
        var d2 = Unique("同时重复提交");
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => SubmitAsync(app.CreateClient(), new { gridId, categoryId = category, description = d2 }, key2)));
        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created || a.StatusCode == HttpStatusCode.Conflict);
        var codes = new HashSet<string>();
        foreach (var a in answers.Where(a => a.StatusCode == HttpStatusCode.Created))
            codes.Add((await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingCode").GetString()!);
        codes.Count.ShouldBe(1);

        await using var db = app.OpenDb();
        (await db.Cases.CountAsync(c => c.Description == description)).ShouldBe(1);
        (await db.Cases.CountAsync(c => c.Description == d2)).ShouldBe(1);
        var record = await db.IdempotencyRecords.SingleAsync(r => r.UserId == PublicCaseService.PublicUser && r.Operation == PublicCaseService.IdempotencyOperation && r.Key == key);
        record.ResponseBody.ShouldStartWith("sm4gcm:");
        record.ResponseBody.ShouldNotContain(first.GetProperty("trackingCode").GetString()!);
    }

    [Fact]
    public async Task A_key_another_app_copy_is_storing_at_the_same_moment_gets_that_copys_answer_and_no_second_case()
    {
        var street = await app.LoginAsync("demo-street");
        var (gridId, _) = await StreetGridAsync(street);
        var category = await CategoryAsync("sanitation");
        var description = Unique("另一副本同时提交");
        var body = new { gridId, categoryId = category, description };
        var firstKey = Guid.NewGuid().ToString();
        var first = await (await SubmitAsync(app.CreateClient(), body, firstKey)).JsonAsync(HttpStatusCode.Created);

        // "Another copy" holds an uncommitted record of the same answer under a second key; this process knows nothing of it.
        var key = Guid.NewGuid().ToString();
        await using var other = app.OpenDb();
        var stored = await other.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.Key == firstKey);
        await using var tx = await other.Database.BeginTransactionAsync();
        other.IdempotencyRecords.Add(new Jiceng.Data.Idempotency.IdempotencyRecord
        {
            UserId = stored.UserId, Operation = stored.Operation, Key = key, RequestHash = stored.RequestHash, StatusCode = 201,
            CreatedAt = stored.CreatedAt, ResponseBody = stored.ResponseBody,
        });
        await other.SaveChangesAsync();

        var submission = SubmitAsync(app.CreateClient(), body, key);
        if (other.IsPostgres)
        {
            // Wait until the submission is blocked on the key (its insert waits for our transaction), so the key is what decides.
            await using var probe = app.OpenDb();
            var waited = Stopwatch.StartNew();
            while (await probe.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync() == 0)
            {
                waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
                await Task.Delay(50);
            }
        }
        else await Task.Delay(300);
        await tx.CommitAsync();

        var answer = await (await submission).JsonAsync(HttpStatusCode.Created);
        answer.GetProperty("trackingCode").GetString().ShouldBe(first.GetProperty("trackingCode").GetString());
        await using var db = app.OpenDb();
        (await db.Cases.CountAsync(c => c.Description == description)).ShouldBe(1);
    }

    [Fact]
    public async Task Of_two_simultaneous_transitions_exactly_one_succeeds_and_the_other_gets_409_with_the_current_state()
    {
        var street = await app.LoginAsync("demo-street");
        var (gridId, _) = await StreetGridAsync(street);
        var created = await street.PostJsonAsync("/api/v1/cases", new { gridId, categoryId = await CategoryAsync(), description = Unique("热线：噪音"), source = "Hotline" }, HttpStatusCode.Created);
        var version = created.GetProperty("version").GetInt32();
        var other = await app.LoginAsync("demo-street");
        var results = await Task.WhenAll(
            street.PostAsJsonAsync($"/api/v1/cases/{created.Id()}/transitions", new { action = "accept", version }),
            other.PostAsJsonAsync($"/api/v1/cases/{created.Id()}/transitions", new { action = "reject", version, text = "不属于本辖区" }));
        results.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        var loser = results.Single(r => r.StatusCode != HttpStatusCode.OK);
        var problem = await loser.ProblemAsync(HttpStatusCode.Conflict);
        var current = problem.GetProperty("current");
        current.GetProperty("version").GetInt32().ShouldBe(version + 1);
        current.GetProperty("status").GetString().ShouldBeOneOf("Accepted", "Rejected");
        await using var db = app.OpenDb();
        (await db.CaseEvents.CountAsync(e => e.CaseId == created.Id() && (e.Action == CaseAction.Accept || e.Action == CaseAction.Reject))).ShouldBe(1);

        // A stale version is refused the same way, without a race.
        var stale = await (await street.PostAsJsonAsync($"/api/v1/cases/{created.Id()}/transitions", new { action = "accept", version })).ProblemAsync(HttpStatusCode.Conflict);
        stale.GetProperty("current").GetProperty("version").GetInt32().ShouldBe(version + 1);
    }

    [Fact]
    public async Task A_department_of_another_street_and_another_tracking_code_find_nothing()
    {
        var street = await app.LoginAsync("demo-street");
        var (gridId, gridOrg) = await StreetGridAsync(street);
        var resident = app.CreateClient();
        var submitted = await (await SubmitAsync(resident, new { gridId, categoryId = await CategoryAsync(), description = Unique("占道") }, null)).JsonAsync(HttpStatusCode.Created);
        var c = await FindByNumberAsync(street, submitted.GetProperty("number").GetString()!);
        c = await ActAsync(street, c, new { action = "accept", version = c.GetProperty("version").GetInt32() });
        var chengguan = (await street.GetJsonAsync($"/api/v1/departments?orgId={gridOrg}")).EnumerateArray().Single(d => d.GetProperty("name").GetString() == "城管执法中队").Id();
        c = await ActAsync(street, c, new { action = "whistle", version = c.GetProperty("version").GetInt32(), departmentIds = new[] { chengguan } });

        var district = await app.LoginAsync("demo-district");
        var streets = (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children").EnumerateArray()
            .Where(x => x.GetProperty("kind").GetString() == "StreetWorkingCommittee").Select(x => x.Id()).ToList();
        var myStreet = await ScopeOfAsync(street);
        var otherStreet = streets.First(s => s != myStreet);
        var otherDept = (await district.GetJsonAsync("/api/v1/departments")).EnumerateArray()
            .First(d => d.GetProperty("organizationId").GetGuid() == otherStreet && d.GetProperty("name").GetString() == "城管执法中队").Id();
        // The other street's 城管 cannot be whistled for this case either.
        (await (await street.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "whistle", version = c.GetProperty("version").GetInt32(), departmentIds = new[] { otherDept } }))
            .ProblemAsync(HttpStatusCode.BadRequest)).FieldError("departmentIds").ShouldContain("不负责");
        var outsider = await DepartmentHandlerAsync($"other-{Guid.NewGuid():N}"[..20], otherStreet, otherDept, "demo-district");
        (await outsider.GetAsync($"/api/v1/cases/{c.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "department-accept", version = c.GetProperty("version").GetInt32() }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetJsonAsync("/api/v1/cases")).GetProperty("total").GetInt32().ShouldBe(0);

        // Another (well-formed) tracking code, and a malformed one, are simply not found.
        var guess = TrackingCode.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(TrackingCode.Bytes));
        await (await resident.GetAsync($"/api/v1/public/cases/{guess}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await resident.PostAsJsonAsync($"/api/v1/public/cases/{guess}/confirm", new { })).ProblemAsync(HttpStatusCode.NotFound);
        await (await resident.GetAsync("/api/v1/public/cases/abc")).ProblemAsync(HttpStatusCode.NotFound);
        // Staff of another street do not see it either.
        var security = await app.LoginAsync("demo-secadmin");
        var n = $"street2-{Guid.NewGuid():N}"[..20];
        await security.PostJsonAsync("/api/v1/users", new
        {
            userName = n, displayName = "其他街道", password = "Strong#Pass1", roles = new[] { new { role = "StreetAdmin", organizationId = otherStreet } },
        });
        var other = await app.LoginAsync(n, "Strong#Pass1");
        (await other.GetAsync($"/api/v1/cases/{c.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_over_large_photo_is_refused_and_nothing_is_stored_and_a_small_one_is_kept()
    {
        var street = await app.LoginAsync("demo-street");
        var (gridId, _) = await StreetGridAsync(street);
        var category = await CategoryAsync();
        var resident = app.CreateClient();
        await using var db0 = app.OpenDb();
        var (cases, photos, keys) = (await db0.Cases.CountAsync(), await db0.CasePhotos.CountAsync(), await db0.IdempotencyRecords.CountAsync());

        MultipartFormDataContent Form(string description, byte[] photo)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(gridId.ToString()), "gridId" }, { new StringContent(category.ToString()), "categoryId" }, { new StringContent(description), "description" },
            };
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "photo", "photo.png");
            return form;
        }
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        var big = new byte[PublicCaseService.MaxPhotoBytes + 1];
        png.CopyTo(big, 0);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/cases") { Content = Form(Unique("大照片"), big) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        (await (await resident.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).FieldError("photo").ShouldContain("5MB");
        var notImage = await (await resident.PostAsync("/api/v1/public/cases", Form(Unique("假照片"), "MZ-not-an-image"u8.ToArray()))).ProblemAsync(HttpStatusCode.BadRequest);
        notImage.FieldError("photo").ShouldContain("JPEG");
        await using (var db = app.OpenDb())
        {
            (await db.Cases.CountAsync()).ShouldBe(cases);
            (await db.CasePhotos.CountAsync()).ShouldBe(photos);
            (await db.IdempotencyRecords.CountAsync()).ShouldBe(keys);
        }

        var small = png.Concat(new byte[100]).ToArray();
        var ok = await (await resident.PostAsync("/api/v1/public/cases", Form(Unique("带照片"), small))).JsonAsync(HttpStatusCode.Created);
        var c = await FindByNumberAsync(street, ok.GetProperty("number").GetString()!);
        c.GetProperty("hasPhoto").GetBoolean().ShouldBeTrue();
        var photo = await street.GetAsync($"/api/v1/cases/{c.Id()}/photo");
        photo.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await photo.Content.ReadAsByteArrayAsync()).ShouldBe(small);
        await using var db2 = app.OpenDb();
        (await db2.AuditEntries.Where(a => a.EntityType == "CasePhoto").Select(a => a.Changes).SingleAsync()).ShouldNotBeNull().ShouldContain("***");
    }

    [Fact]
    public async Task Bad_submissions_answer_chinese_field_errors()
    {
        var resident = app.CreateClient();
        var bad = await (await SubmitAsync(resident, new { gridId = Guid.NewGuid(), description = "", phone = "12" }, Guid.NewGuid().ToString())).ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("description").ShouldBe("诉求内容不能为空");
        bad.FieldError("phone").ShouldContain("格式不正确");
        bad.FieldError("gridId").ShouldContain("网格不存在");
        bad.FieldError("categoryId").ShouldBe("请选择诉求类别");
        var street = await app.LoginAsync("demo-street");
        var c = await street.PostJsonAsync("/api/v1/cases", new { gridId = (await StreetGridAsync(street)).GridId, categoryId = await CategoryAsync(), description = Unique("热线") }, HttpStatusCode.Created);
        var noReason = await (await street.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "reject", version = 1 })).ProblemAsync(HttpStatusCode.BadRequest);
        noReason.FieldError("text").ShouldBe("不予受理的理由不能为空");
        var wrong = await (await street.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "close", version = 1, text = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        wrong.FieldError("action").ShouldBe("当前状态为“待响应”，不能执行“办结”");
        var noVersion = await (await street.PostAsJsonAsync($"/api/v1/cases/{c.Id()}/transitions", new { action = "accept" })).ProblemAsync(HttpStatusCode.BadRequest);
        noVersion.FieldError("version").ShouldContain("版本号");
        // Nothing changed.
        (await street.GetJsonAsync($"/api/v1/cases/{c.Id()}")).GetProperty("version").GetInt32().ShouldBe(1);
        // A department handler cannot enter cases.
        var dept = await app.LoginAsync("demo-dept");
        (await dept.PostAsJsonAsync("/api/v1/cases", new { description = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_overdue_case_goes_one_level_up_and_its_history_shows_it()
    {
        var street = await app.LoginAsync("demo-street");
        var (gridId, gridOrg) = await StreetGridAsync(street);
        var c = await street.PostJsonAsync("/api/v1/cases", new { gridId, categoryId = await CategoryAsync("construction-safety"), description = Unique("工地脚手架松动") }, HttpStatusCode.Created);
        c.GetProperty("handlingOrganizationId").GetGuid().ShouldBe(gridOrg);
        await using (var db = app.OpenDb())
        {
            // Two hours pass without a response (the category's response time).
            var row = await db.Cases.SingleAsync(x => x.Id == c.Id());
            await db.Cases.Where(x => x.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponseDue, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        using (var scope = app.Services.CreateScope())
            (await scope.ServiceProvider.GetRequiredService<CaseEscalationService>().RunAsync()).ShouldBeGreaterThanOrEqualTo(1);
        var after = await street.GetJsonAsync($"/api/v1/cases/{c.Id()}");
        await using var db2 = app.OpenDb();
        var community = await db2.Organizations.Where(o => o.Id == gridOrg).Select(o => o.ParentId).SingleAsync();
        after.GetProperty("handlingOrganizationId").GetGuid().ShouldBe(community!.Value);
        var last = after.GetProperty("history").EnumerateArray().Last();
        last.GetProperty("action").GetString().ShouldBe("Escalate");
        last.GetProperty("text").GetString().ShouldBe("超过响应时限未响应，自动上提一级");
        // Once only for the response deadline.
        using (var scope = app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<CaseEscalationService>().RunAsync();
        (await street.GetJsonAsync($"/api/v1/cases/{c.Id()}")).GetProperty("handlingOrganizationId").GetGuid().ShouldBe(community.Value);
    }

    [Fact]
    public async Task A_household_ledger_with_protected_phones_visits_coverage_and_a_case_from_a_visit_in_one_click()
    {
        var gridWorker = await app.LoginAsync("demo-grid");
        // A grid worker sees their own grid only (its community's name comes along).
        var grids = (await gridWorker.GetJsonAsync("/api/v1/grids")).EnumerateArray().ToList();
        grids.Count.ShouldBe(1);
        var grid = grids[0];
        grid.GetProperty("communityName").GetString().ShouldNotBeNullOrEmpty();
        var gridId = grid.Id();
        var community = await app.LoginAsync("demo-community");
        var detail = await community.GetJsonAsync($"/api/v1/grids/{gridId}");
        var worker = detail.GetProperty("staff").EnumerateArray().First(s => s.GetProperty("kind").GetString() != "HouseholdLead");
        worker.GetProperty("userName").GetString().ShouldBe("demo-grid");

        var address = Unique("3号楼2单元502室");
        var created = await community.PostJsonAsync("/api/v1/households", new
        {
            gridId, building = "3号楼", address, tags = new[] { "独居老人" },
            members = new[] { new { name = "测试居民", relation = "户主", phone = "13712345678" } },
        });
        created.GetProperty("members")[0].GetProperty("phoneMasked").GetString().ShouldBe("137****5678");
        created.GetRawText().ShouldNotContain("13712345678");
        var householdId = created.GetProperty("household").Id();
        (await (await community.PostAsJsonAsync("/api/v1/households", new { gridId, address })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("address").ShouldBe("本网格已有该住址的住户");
        // The grid worker reads the ledger but does not edit it; they record visits.
        (await gridWorker.PostAsJsonAsync("/api/v1/households", new { gridId, address = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var visit = await gridWorker.PostJsonAsync("/api/v1/visits", new { householdId, heard = "反映楼道灯坏了", followUpNeeded = true });
        visit.GetProperty("workerName").GetString().ShouldBe(worker.GetProperty("name").GetString());
        var categories = await app.CreateClient().GetJsonAsync("/api/v1/public/categories");
        var facility = categories.EnumerateArray().First(c => c.GetProperty("code").GetString() == "public-facility").Id();
        var fromVisit = await gridWorker.PostJsonAsync($"/api/v1/visits/{visit.Id()}/case", new { categoryId = facility });
        fromVisit.GetProperty("source").GetString().ShouldBe("Visit");
        fromVisit.GetProperty("householdId").GetGuid().ShouldBe(householdId);
        fromVisit.GetProperty("description").GetString().ShouldBe("反映楼道灯坏了");
        (await (await gridWorker.PostAsJsonAsync($"/api/v1/visits/{visit.Id()}/case", new { categoryId = facility })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("visitId").ShouldBe("该走访已转为诉求");
        var household = await gridWorker.GetJsonAsync($"/api/v1/households/{householdId}");
        household.GetProperty("visits")[0].GetProperty("caseNumber").GetString().ShouldBe(fromVisit.GetProperty("number").GetString());

        // Coverage: the new household has one visit this year, fewer than four.
        var branch = grid.GetProperty("organizationId").GetGuid();
        var coverage = await community.GetJsonAsync($"/api/v1/households/coverage?orgId={branch}&pageSize=200");
        coverage.GetProperty("rows").EnumerateArray().ShouldContain(r => r.GetProperty("householdId").GetGuid() == householdId && r.GetProperty("visits").GetInt32() == 1);

        // The grid's QR code is a PNG; another community's grid does not exist for this community.
        var qr = await community.GetAsync($"/api/v1/grids/{gridId}/qr");
        qr.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await qr.Content.ReadAsByteArrayAsync())[..4].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        await using var db = app.OpenDb();
        var foreign = await db.Grids.Where(g => g.CommunityId != detail.GetProperty("grid").GetProperty("communityId").GetGuid()).Select(g => g.Id).FirstAsync();
        (await community.GetAsync($"/api/v1/grids/{foreign}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await community.GetAsync($"/api/v1/grids/{foreign}/qr")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await community.PostAsJsonAsync("/api/v1/households", new { gridId = foreign, address = "外网格" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A household nobody is responsible for raises the grid's alert.
        var sysadmin = await app.LoginAsync("demo-sysadmin");
        await sysadmin.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var alerts = await community.GetJsonAsync($"/api/v1/alerts?orgId={branch}&pageSize=200");
        alerts.GetProperty("items").EnumerateArray().ShouldContain(a => a.GetProperty("ruleCode").GetString() == "grid.household-without-worker" && a.GetProperty("subjectId").GetString() == gridId.ToString());
    }
}

public sealed class RateLimitedSqliteApp() : CasesApp(TestDatabase.Sqlite, permits: 3);

public sealed class PublicRateLimitTests(RateLimitedSqliteApp app) : IClassFixture<RateLimitedSqliteApp>
{
    [Fact]
    public async Task Public_endpoints_are_limited_per_client_address()
    {
        var resident = app.CreateClient();
        for (var i = 0; i < 3; i++) (await resident.GetAsync("/api/v1/public/categories")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await (await resident.GetAsync("/api/v1/public/categories")).ProblemAsync(HttpStatusCode.TooManyRequests);
        refused.GetProperty("title").GetString().ShouldBe("请求过于频繁");
        // Staff endpoints are not limited this way.
        var street = await app.LoginAsync("demo-street");
        (await street.GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
