using System.Net;
using System.Net.Http.Json;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Cases;

public sealed class CaseCategoryTests_Sqlite(CasesSqliteApp app) : CaseCategoryTests(app), IClassFixture<CasesSqliteApp>;

public sealed class CaseCategoryTests_Postgres(CasesPostgresApp app) : CaseCategoryTests(app), IClassFixture<CasesPostgresApp>;

/// <summary>Categories are data: the district or a street adds one, renames it, retires it (no longer offered, its cases
/// keep it) and brings it back; a resident can only choose an active one.</summary>
public abstract class CaseCategoryTests(JicengApp app)
{
    [Fact]
    public async Task A_street_adds_a_category_residents_use_it_then_it_is_retired_and_brought_back()
    {
        var street = await app.LoginAsync("demo-street");
        var name = $"违章搭建{Guid.NewGuid().ToString("N")[..6]}";

        // Refused input changes nothing.
        var bad = await (await street.PostAsJsonAsync("/api/v1/case-categories", new { name = " ", responseHours = 48, resolutionDays = 1 })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("name").ShouldContain("类别名称");
        bad.FieldError("responseHours").ShouldContain("不能晚于办理时限");
        var existing = await (await street.PostAsJsonAsync("/api/v1/case-categories", new { name = "环境卫生", responseHours = 24, resolutionDays = 3 })).ProblemAsync(HttpStatusCode.BadRequest);
        existing.FieldError("name").ShouldBe("已有名为“环境卫生”的类别");
        var community = await app.LoginAsync("demo-community");
        (await community.PostAsJsonAsync("/api/v1/case-categories", new { name, responseHours = 24, resolutionDays = 3 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using (var db = app.OpenDb()) (await db.CaseCategories.AnyAsync(c => c.Name == name)).ShouldBeFalse();

        var created = await street.PostJsonAsync("/api/v1/case-categories", new { name, responseHours = 12, resolutionDays = 10 }, HttpStatusCode.Created);
        var id = created.Id();
        created.GetProperty("active").GetBoolean().ShouldBeTrue();
        created.GetProperty("code").GetString().ShouldStartWith("c-");
        var anon = app.CreateClient();
        (await anon.GetJsonAsync("/api/v1/public/categories")).EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldContain(name);

        // A resident files a case under it; its deadlines are the category's.
        var grids = await street.GetJsonAsync($"/api/v1/grids?orgId={(await street.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid()}");
        var grid = grids.EnumerateArray().First().Id();
        var submitted = await anon.PostJsonAsync("/api/v1/public/cases", new { gridId = grid, categoryId = id, description = "小区内有人私搭乱建（测试新类别）" }, HttpStatusCode.Created);
        var code = submitted.GetProperty("trackingCode").GetString();
        await using (var db = app.OpenDb())
        {
            var c = await db.Cases.Where(x => x.CategoryId == id).SingleAsync();
            (c.ResponseDue - c.ReceivedAt).ShouldBe(TimeSpan.FromHours(12));
            var audit = await db.AuditEntries.Where(e => e.EntityType == "CaseCategory" && e.EntityId == id.ToString() && e.Action == "create").SingleAsync();
            audit.UserName.ShouldBe("demo-street");
        }

        // Retired: not offered, a new case under it is refused, the filed case keeps it.
        var retired = await street.PutJsonAsync($"/api/v1/case-categories/{id}", new { responseHours = 12, resolutionDays = 10, active = false });
        retired.GetProperty("active").GetBoolean().ShouldBeFalse();
        (await anon.GetJsonAsync("/api/v1/public/categories")).EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldNotContain(name);
        (await street.GetJsonAsync("/api/v1/case-categories")).EnumerateArray().Select(c => c.Id()).ShouldNotContain(id);
        (await street.GetJsonAsync("/api/v1/case-categories?all=true")).EnumerateArray().Select(c => c.Id()).ShouldContain(id);
        var refused = await (await anon.PostAsJsonAsync("/api/v1/public/cases", new { gridId = grid, categoryId = id, description = "又有人私搭乱建" })).ProblemAsync(HttpStatusCode.BadRequest);
        refused.FieldError("categoryId").ShouldNotBeNullOrEmpty();
        (await anon.GetJsonAsync($"/api/v1/public/cases/{code}")).GetProperty("categoryName").GetString().ShouldBe(name);

        // Renamed and brought back.
        var renamed = await street.PutJsonAsync($"/api/v1/case-categories/{id}", new { name = name + "（含违建）", responseHours = 12, resolutionDays = 10, active = true });
        renamed.GetProperty("name").GetString().ShouldBe(name + "（含违建）");
        (await anon.GetJsonAsync("/api/v1/public/categories")).EnumerateArray().Select(c => c.Id()).ShouldContain(id);
    }

    [Fact]
    public async Task The_last_active_category_cannot_be_retired()
    {
        // Its own app: this test retires categories.
        await using var own = app.Database == TestDatabase.Sqlite ? (JicengApp)new SqliteApp() : new PostgresApp();
        await own.InitializeAsync();
        var district = await own.LoginAsync("demo-district");
        var all = (await district.GetJsonAsync("/api/v1/case-categories")).EnumerateArray().ToList();
        foreach (var c in all.SkipLast(1))
            await district.PutJsonAsync($"/api/v1/case-categories/{c.Id()}", new { responseHours = c.GetProperty("responseHours").GetInt32(), resolutionDays = c.GetProperty("resolutionDays").GetInt32(), active = false });
        var last = all[^1];
        var refused = await (await district.PutAsJsonAsync($"/api/v1/case-categories/{last.Id()}",
            new { responseHours = last.GetProperty("responseHours").GetInt32(), resolutionDays = last.GetProperty("resolutionDays").GetInt32(), active = false })).ProblemAsync(HttpStatusCode.BadRequest);
        refused.FieldError("active").ShouldBe("至少要保留一个启用的类别，居民才能提交诉求");
        await using var db = own.OpenDb();
        (await db.CaseCategories.CountAsync(c => c.Active)).ShouldBe(1);
    }
}
