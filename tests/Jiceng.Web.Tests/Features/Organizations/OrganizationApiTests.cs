using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Organizations;

public sealed class OrganizationApiTests_Sqlite(SqliteApp app) : OrganizationApiTests(app), IClassFixture<SqliteApp>;

public sealed class OrganizationApiTests_Postgres(PostgresApp app) : OrganizationApiTests(app), IClassFixture<PostgresApp>;

public abstract class OrganizationApiTests(JicengApp app)
{
    private async Task<(JsonElement District, List<JsonElement> Streets)> DistrictAsync()
    {
        var client = await app.LoginAsync("demo-district");
        var roots = await client.GetJsonAsync("/api/v1/orgs/tree?depth=1");
        roots.GetArrayLength().ShouldBe(1);
        var district = roots[0];
        var streets = district.GetProperty("children").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "StreetWorkingCommittee").ToList();
        streets.Count.ShouldBeGreaterThanOrEqualTo(5);
        return (district, streets);
    }

    private async Task<Guid> StreetOfDemoStreetAsync(HttpClient streetClient)
    {
        var me = await streetClient.GetJsonAsync("/api/v1/auth/me");
        return me.GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
    }

    private async Task<(int Orgs, long Audit)> CountsAsync()
    {
        await using var db = app.OpenDb();
        return (await db.Organizations.CountAsync(), await db.AuditEntries.LongCountAsync());
    }

    [Fact]
    public async Task Street_admin_sees_only_its_street_subtree()
    {
        var client = await app.LoginAsync("demo-street");
        var streetId = await StreetOfDemoStreetAsync(client);
        var roots = await client.GetJsonAsync("/api/v1/orgs/tree?depth=10");
        roots.GetArrayLength().ShouldBe(1);
        roots[0].Id().ShouldBe(streetId);

        var all = new List<JsonElement>();
        void Walk(JsonElement n) { all.Add(n); foreach (var c in n.GetProperty("children").EnumerateArray()) Walk(c); }
        Walk(roots[0]);
        all.Count.ShouldBeGreaterThan(10);

        await using var db = app.OpenDb();
        var streetPath = await db.Organizations.Where(o => o.Id == streetId).Select(o => o.Path).SingleAsync();
        var expected = await db.Organizations.Where(o => o.Path.StartsWith(streetPath) && o.Status == Domain.Organizations.OrganizationStatus.Active).CountAsync();
        all.Count.ShouldBe(expected);
        var ids = all.Select(n => n.Id()).ToList();
        var paths = await db.Organizations.Where(o => ids.Contains(o.Id)).Select(o => o.Path).ToListAsync();
        paths.ShouldAllBe(p => p.StartsWith(streetPath));
    }

    [Fact]
    public async Task Street_admin_gets_404_for_another_street_and_cannot_edit_or_move_it()
    {
        var (_, streets) = await DistrictAsync();
        var client = await app.LoginAsync("demo-street");
        var own = await StreetOfDemoStreetAsync(client);
        var other = streets.Select(s => s.Id()).First(id => id != own);
        var before = await CountsAsync();

        (await client.GetAsync($"/api/v1/orgs/{other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/v1/orgs/tree?root={other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await (await client.PutAsJsonAsync($"/api/v1/orgs/{other}", new { name = "改名", kind = "StreetWorkingCommittee" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"/api/v1/orgs/{other}/move", new { newParentId = own })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/v1/orgs/{other}/archive", null)).ProblemAsync(HttpStatusCode.NotFound);

        // Nor can it pull an organization of its own under another street, or create one there.
        var ownTree = await client.GetJsonAsync($"/api/v1/orgs/tree?root={own}&depth=1");
        var community = ownTree[0].GetProperty("children")[0].Id();
        var move = await (await client.PostAsJsonAsync($"/api/v1/orgs/{community}/move", new { newParentId = other })).ProblemAsync(HttpStatusCode.BadRequest);
        move.FieldError("newParentId").ShouldBe("新的上级组织不存在");
        var create = await (await client.PostAsJsonAsync("/api/v1/orgs", new { name = "越权社区党委", kind = "CommunityCommittee", parentId = other })).ProblemAsync(HttpStatusCode.BadRequest);
        create.FieldError("parentId").ShouldBe("上级组织不存在");

        (await CountsAsync()).ShouldBe(before);
        await using var db = app.OpenDb();
        (await db.Organizations.SingleAsync(o => o.Id == other)).Name.ShouldNotBe("改名");
    }

    [Fact]
    public async Task Create_update_archive_are_written_and_audited()
    {
        var client = await app.LoginAsync("demo-district");
        var (_, streets) = await DistrictAsync();
        var street = streets[1].Id();

        var created = await client.PostJsonAsync("/api/v1/orgs", new
        {
            name = "测试新建社区党委", kind = "CommunityCommittee", parentId = street, establishedOn = "2020-05-01", termStart = "2024-01-10",
        }, HttpStatusCode.Created);
        var id = created.Id();
        created.GetProperty("kindName").GetString().ShouldBe("社区党委");
        created.GetProperty("termEndEffective").GetString().ShouldBe("2029-01-10");
        created.GetProperty("parentId").GetGuid().ShouldBe(street);

        var updated = await client.PutJsonAsync($"/api/v1/orgs/{id}", new { name = "测试改名社区党委", kind = "CommunityCommittee", termStart = "2024-01-10", termEnd = "2029-01-10", hasCommittee = true });
        updated.GetProperty("name").GetString().ShouldBe("测试改名社区党委");
        updated.GetProperty("hasCommittee").GetBoolean().ShouldBeTrue();

        var archived = await client.PostJsonAsync($"/api/v1/orgs/{id}/archive", new { });
        archived.GetProperty("status").GetString().ShouldBe("Archived");
        var again = await (await client.PostAsync($"/api/v1/orgs/{id}/archive", null)).ProblemAsync(HttpStatusCode.BadRequest);
        again.FieldError("status").ShouldBe("该组织已撤销");

        await using var db = app.OpenDb();
        var actions = await db.AuditEntries.Where(a => a.EntityType == "Organization" && a.EntityId == id.ToString())
            .OrderBy(a => a.At).ThenBy(a => a.Sequence).Select(a => new { a.Action, a.UserName, a.Changes, a.OrganizationId, a.Success }).ToListAsync();
        actions.Select(a => a.Action).ShouldBe(["create", "update", "archive"]);
        actions.ShouldAllBe(a => a.UserName == "demo-district" && a.OrganizationId == id && a.Success);
        actions[1].Changes.ShouldNotBeNull().ShouldContain("测试改名社区党委");
    }

    [Fact]
    public async Task Moving_a_three_level_subtree_rewrites_every_path_in_one_go()
    {
        var client = await app.LoginAsync("demo-district");
        var (_, streets) = await DistrictAsync();
        var from = streets[2].Id();
        var to = streets[3].Id();
        var a = (await client.PostJsonAsync("/api/v1/orgs", new { name = "移动测试社区党委", kind = "CommunityCommittee", parentId = from }, HttpStatusCode.Created)).Id();
        var b = (await client.PostJsonAsync("/api/v1/orgs", new { name = "移动测试网格党支部", kind = "GridBranch", parentId = a }, HttpStatusCode.Created)).Id();
        var c = (await client.PostJsonAsync("/api/v1/orgs", new { name = "移动测试党小组", kind = "PartyGroup", parentId = b }, HttpStatusCode.Created)).Id();

        var moved = await client.PostJsonAsync($"/api/v1/orgs/{a}/move", new { newParentId = to });
        moved.GetProperty("parentId").GetGuid().ShouldBe(to);

        var tree = await client.GetJsonAsync($"/api/v1/orgs/tree?root={to}&depth=3");
        var na = tree[0].GetProperty("children").EnumerateArray().Single(n => n.Id() == a);
        var nb = na.GetProperty("children").EnumerateArray().Single(n => n.Id() == b);
        nb.GetProperty("children").EnumerateArray().Single(n => n.Id() == c).GetProperty("depth").GetInt32().ShouldBe(4);
        (await client.GetJsonAsync($"/api/v1/orgs/tree?root={from}&depth=3")).GetRawText().ShouldNotContain(a.ToString());

        await using var db = app.OpenDb();
        var toPath = await db.Organizations.Where(o => o.Id == to).Select(o => o.Path).SingleAsync();
        var rows = await db.Organizations.Where(o => o.Id == a || o.Id == b || o.Id == c).ToDictionaryAsync(o => o.Id);
        rows[a].Path.ShouldBe($"{toPath}{a:N}/");
        rows[b].Path.ShouldBe($"{toPath}{a:N}/{b:N}/");
        rows[c].Path.ShouldBe($"{toPath}{a:N}/{b:N}/{c:N}/");
        rows[c].Depth.ShouldBe(4);
        (await db.AuditEntries.CountAsync(x => x.Action == "move" && x.EntityId == a.ToString())).ShouldBe(1);
    }

    [Fact]
    public async Task Moving_under_a_descendant_or_itself_is_refused_and_changes_nothing()
    {
        var client = await app.LoginAsync("demo-district");
        var (_, streets) = await DistrictAsync();
        var a = (await client.PostJsonAsync("/api/v1/orgs", new { name = "环路测试社区党委", kind = "CommunityCommittee", parentId = streets[4].Id() }, HttpStatusCode.Created)).Id();
        var b = (await client.PostJsonAsync("/api/v1/orgs", new { name = "环路测试党总支", kind = "GeneralBranch", parentId = a }, HttpStatusCode.Created)).Id();
        var before = await CountsAsync();
        await using var db0 = app.OpenDb();
        var pathBefore = await db0.Organizations.Where(o => o.Id == a).Select(o => o.Path).SingleAsync();

        var under = await (await client.PostAsJsonAsync($"/api/v1/orgs/{a}/move", new { newParentId = b })).ProblemAsync(HttpStatusCode.BadRequest);
        under.FieldError("newParentId").ShouldBe("不能把组织移动到它自身或它的下级组织之下");
        var self = await (await client.PostAsJsonAsync($"/api/v1/orgs/{a}/move", new { newParentId = a })).ProblemAsync(HttpStatusCode.BadRequest);
        self.FieldError("newParentId").ShouldBe("不能把组织移动到它自身或它的下级组织之下");

        (await CountsAsync()).ShouldBe(before);
        await using var db = app.OpenDb();
        (await db.Organizations.Where(o => o.Id == a).Select(o => o.Path).SingleAsync()).ShouldBe(pathBefore);
    }

    [Fact]
    public async Task Bad_input_answers_400_in_chinese_and_writes_nothing()
    {
        var client = await app.LoginAsync("demo-district");
        var (_, streets) = await DistrictAsync();
        var before = await CountsAsync();

        var malformed = await client.PostAsync("/api/v1/orgs", new StringContent("{\"name\": \"缺括号\"", Encoding.UTF8, "application/json"));
        (await malformed.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("title").GetString().ShouldBe("请求格式错误");

        var missingName = await (await client.PostAsJsonAsync("/api/v1/orgs", new { kind = "CommunityCommittee", parentId = streets[0].Id() })).ProblemAsync(HttpStatusCode.BadRequest);
        missingName.FieldError("name").ShouldBe("组织名称不能为空");

        var unknownParent = await (await client.PostAsJsonAsync("/api/v1/orgs", new { name = "无上级", kind = "CommunityCommittee", parentId = Guid.NewGuid() })).ProblemAsync(HttpStatusCode.BadRequest);
        unknownParent.FieldError("parentId").ShouldBe("上级组织不存在");

        var tooLong = await (await client.PostAsJsonAsync("/api/v1/orgs", new { name = new string('长', 101), kind = "CommunityCommittee", parentId = streets[0].Id() })).ProblemAsync(HttpStatusCode.BadRequest);
        tooLong.FieldError("name").ShouldBe("组织名称不能超过100个字符");

        var badKind = await (await client.PostAsJsonAsync("/api/v1/orgs", new { name = "类型错", kind = "NoSuchKind", parentId = streets[0].Id() })).ProblemAsync(HttpStatusCode.BadRequest);
        badKind.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("JSON");

        var wrongPlacement = await (await client.PostAsJsonAsync("/api/v1/orgs", new { name = "街道下的党小组", kind = "PartyGroup", parentId = streets[0].Id() })).ProblemAsync(HttpStatusCode.BadRequest);
        wrongPlacement.FieldError("kind").ShouldBe("党小组只能设在党支部或党总支之下");

        var hugePage = await (await client.GetAsync("/api/v1/alerts?pageSize=100000")).ProblemAsync(HttpStatusCode.BadRequest);
        hugePage.FieldError("pageSize").ShouldBe("每页条数须在1到200之间");

        var deepTree = await (await client.GetAsync("/api/v1/orgs/tree?depth=99")).ProblemAsync(HttpStatusCode.BadRequest);
        deepTree.FieldError("depth").ShouldContain("层级深度");

        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Roles_are_separated_auditor_cannot_create_and_security_admin_cannot_read_audit()
    {
        var (_, streets) = await DistrictAsync();
        var auditor = await app.LoginAsync("demo-auditor");
        await (await auditor.PostAsJsonAsync("/api/v1/orgs", new { name = "审计员建的", kind = "CommunityCommittee", parentId = streets[0].Id() })).ProblemAsync(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/v1/orgs/tree")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var security = await app.LoginAsync("demo-secadmin");
        await (await security.GetAsync("/api/v1/audit")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await security.PostAsJsonAsync("/api/v1/orgs", new { name = "安全员建的", kind = "CommunityCommittee", parentId = streets[0].Id() })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await security.PutAsJsonAsync("/api/v1/settings/org.termWarningDays", new { value = 30 })).ProblemAsync(HttpStatusCode.Forbidden);

        var system = await app.LoginAsync("demo-sysadmin");
        await (await system.GetAsync("/api/v1/audit")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await system.GetAsync("/api/v1/users")).ProblemAsync(HttpStatusCode.Forbidden);

        var anonymous = app.CreateClient();
        await (await anonymous.GetAsync("/api/v1/orgs/tree")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_openapi_and_docs_answer()
    {
        var client = app.CreateClient();
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var openapi = await client.GetJsonAsync("/openapi/v1.json");
        openapi.GetProperty("paths").TryGetProperty("/api/v1/orgs/tree", out _).ShouldBeTrue();
        (await client.GetAsync("/docs/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Model_has_no_changes_without_a_migration()
    {
        await using var db = app.OpenDb();
        db.Database.HasPendingModelChanges().ShouldBeFalse($"run dotnet ef migrations add for {app.Database}");
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
    }
}
