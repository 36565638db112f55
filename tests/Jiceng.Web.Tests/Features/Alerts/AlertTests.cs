using System.Net;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Alerts;

public sealed class AlertTests_Sqlite(SqliteApp app) : AlertTests(app), IClassFixture<SqliteApp>;

public sealed class AlertTests_Postgres(PostgresApp app) : AlertTests(app), IClassFixture<PostgresApp>;

public abstract class AlertTests(JicengApp app)
{
    [Fact]
    public async Task Term_alerts_are_raised_scoped_and_resolve_themselves()
    {
        var system = await app.LoginAsync("demo-sysadmin");
        var district = await app.LoginAsync("demo-district");
        var street = (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children")[0].Id();
        var expired = await district.PostJsonAsync("/api/v1/orgs", new
        {
            name = "任期届满测试网格党支部", kind = "GridBranch",
            parentId = (await district.GetJsonAsync($"/api/v1/orgs/tree?root={street}&depth=1"))[0].GetProperty("children")[0].Id(),
            termStart = "2020-01-01",
        }, HttpStatusCode.Created);
        var id = expired.Id();

        var run = await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        run.GetProperty("raised").GetInt32().ShouldBeGreaterThanOrEqualTo(1);

        var mine = await district.GetJsonAsync($"/api/v1/alerts?orgId={id}");
        var alert = mine.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("ruleCode").GetString() == "org.term-expiry");
        alert.GetProperty("severity").GetString().ShouldBe("Critical");
        alert.GetProperty("message").GetString().ShouldBe("任期届满测试网格党支部任期已于2023年1月1日届满，应按期换届");

        // The grid worker of another community does not see it; an org outside scope answers 404.
        var grid = await app.LoginAsync("demo-grid");
        var gridAlerts = await grid.GetJsonAsync("/api/v1/alerts?pageSize=200");
        gridAlerts.GetProperty("items").EnumerateArray().ShouldNotContain(a => a.GetProperty("organizationId").GetGuid() == id);
        await (await grid.GetAsync($"/api/v1/alerts?orgId={id}")).ProblemAsync(HttpStatusCode.NotFound);

        // A new term is recorded: the next evaluation resolves the alert.
        await district.PutJsonAsync($"/api/v1/orgs/{id}", new { name = "任期届满测试网格党支部", kind = "GridBranch", termStart = DateTime.UtcNow.ToString("yyyy-MM-dd") });
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await district.GetJsonAsync($"/api/v1/alerts?orgId={id}")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(a => a.GetProperty("ruleCode").GetString() == "org.term-expiry");
        await using var db = app.OpenDb();
        (await db.Alerts.SingleAsync(a => a.OrganizationId == id && a.RuleCode == "org.term-expiry")).ResolvedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Only_the_system_administrator_runs_an_evaluation_on_demand()
    {
        var street = await app.LoginAsync("demo-street");
        await (await street.PostAsync("/api/v1/alerts/evaluate", null)).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Archiving_an_organization_resolves_its_alerts()
    {
        var system = await app.LoginAsync("demo-sysadmin");
        var district = await app.LoginAsync("demo-district");
        var street = (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children")[0].Id();
        var id = (await district.PostJsonAsync("/api/v1/orgs", new { name = "将撤销的联合党支部", kind = "JointBranch", parentId = street, termStart = "2019-06-01" }, HttpStatusCode.Created)).Id();
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await district.GetJsonAsync($"/api/v1/alerts?orgId={id}")).GetProperty("total").GetInt32().ShouldBeGreaterThan(0);

        await district.PostJsonAsync($"/api/v1/orgs/{id}/archive", new { });
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        await using var db = app.OpenDb();
        (await db.Alerts.CountAsync(a => a.OrganizationId == id && a.ResolvedAt == null)).ShouldBe(0);
        (await db.Alerts.CountAsync(a => a.OrganizationId == id && a.ResolvedAt != null)).ShouldBeGreaterThan(0);
    }
}
