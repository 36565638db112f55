using System.Net;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Home;

public sealed class HomeTests_Sqlite(SqliteApp app) : HomeTests(app), IClassFixture<SqliteApp>;

public sealed class HomeTests_Postgres(PostgresApp app) : HomeTests(app), IClassFixture<PostgresApp>;

public abstract class HomeTests(JicengApp app)
{
    [Fact]
    public async Task The_home_figures_are_counted_from_the_records_of_the_subtree()
    {
        await (await app.LoginAsync("demo-sysadmin")).PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var community = await app.LoginAsync("demo-community");
        var id = (await community.GetJsonAsync("/api/v1/orgs/tree?depth=0"))[0].Id();

        var home = await community.GetJsonAsync($"/api/v1/orgs/{id}/overview");

        await using var db = app.OpenDb();
        var path = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.Path).SingleAsync();
        var orgs = await db.Organizations.IgnoreQueryFilters().Where(o => o.Path.StartsWith(path) && o.Status == OrganizationStatus.Active).CountAsync();
        var open = await db.Alerts.IgnoreQueryFilters().Where(a => a.ResolvedAt == null && a.Organization!.Path.StartsWith(path)).CountAsync();
        var overview = home.GetProperty("overview");
        overview.GetProperty("organizations").EnumerateArray().Sum(k => k.GetProperty("count").GetInt32()).ShouldBe(orgs);
        overview.GetProperty("openAlerts").GetInt32().ShouldBe(open);
        open.ShouldBeGreaterThan(0);
        home.GetProperty("alerts").GetProperty("total").GetInt32().ShouldBe(open);
        home.GetProperty("alerts").GetProperty("items").GetArrayLength().ShouldBe(Math.Min(20, open));
    }

    [Fact]
    public async Task An_organization_outside_the_scope_is_not_found()
    {
        var district = await (await app.LoginAsync("demo-district")).GetJsonAsync("/api/v1/orgs/tree?depth=0");
        var community = await app.LoginAsync("demo-community");
        await (await community.GetAsync($"/api/v1/orgs/{district[0].Id()}/overview")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
