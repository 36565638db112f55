using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Identity;

public sealed class IdentityTests_Sqlite(SqliteApp app) : IdentityTests(app), IClassFixture<SqliteApp>;

public sealed class IdentityTests_Postgres(PostgresApp app) : IdentityTests(app), IClassFixture<PostgresApp>;

public abstract class IdentityTests(JicengApp app)
{
    private async Task<string> CreateUserAsync(string userName, string password = "Strong#Pass1")
    {
        var security = await app.LoginAsync("demo-secadmin");
        var district = (await (await app.LoginAsync("demo-district")).GetJsonAsync("/api/v1/orgs/tree?depth=0"))[0].Id();
        var user = await security.PostJsonAsync("/api/v1/users", new
        {
            userName, displayName = "测试用户", password, phone = "13912345678",
            roles = new[] { new { role = "CommunityWorker", organizationId = district } },
        });
        user.GetProperty("phoneMasked").GetString().ShouldBe("139****5678");
        return user.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Wrong_user_and_wrong_password_get_the_same_answer()
    {
        var client = app.CreateClient();
        var wrongUser = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "no-such-user", password = "Whatever#123" });
        var wrongPassword = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "demo-member", password = "Whatever#123" });
        wrongUser.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        static async Task<string> WithoutTraceId(HttpResponseMessage r)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
            json.Remove("traceId");
            return json.ToJsonString();
        }
        (await WithoutTraceId(wrongUser)).ShouldBe(await WithoutTraceId(wrongPassword));
        (await wrongUser.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("用户名或密码错误");
    }

    [Fact]
    public async Task Five_failures_lock_the_account_and_every_attempt_is_audited()
    {
        await CreateUserAsync("lockout-user");
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
            (await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "lockout-user", password = "Wrong#Pass" + i })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The right password no longer helps, and the answer still does not say why.
        var locked = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "lockout-user", password = "Strong#Pass1" });
        locked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        await using var db = app.OpenDb();
        var user = await db.Users.SingleAsync(u => u.UserName == "lockout-user");
        user.LockoutEnd.ShouldNotBeNull();
        (user.LockoutEnd!.Value - DateTimeOffset.UtcNow).TotalMinutes.ShouldBeInRange(14, 15.1);
        var failures = await db.AuditEntries.Where(a => a.Action == "login.failure" && a.UserName == "lockout-user").ToListAsync();
        failures.Count.ShouldBe(6);
        failures.ShouldAllBe(a => !a.Success);
        failures.Last().Changes.ShouldNotBeNull().ShouldContain("locked-out");

        // The security administrator unlocks it.
        var security = await app.LoginAsync("demo-secadmin");
        (await security.PostAsync($"/api/v1/users/{user.Id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await using (var check = app.OpenDb())
            (await check.AuditEntries.CountAsync(a => a.Action == "account.unlock" && a.EntityId == user.Id && a.UserName == "demo-secadmin")).ShouldBe(1);
        (await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "lockout-user", password = "Strong#Pass1" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_revokes_the_token_and_me_shows_roles_and_scopes()
    {
        var client = await app.LoginAsync("demo-community");
        var me = await client.GetJsonAsync("/api/v1/auth/me");
        me.GetProperty("userName").GetString().ShouldBe("demo-community");
        me.GetProperty("roles")[0].GetString().ShouldBe("CommunityWorker");
        me.GetProperty("scopes")[0].GetProperty("roleName").GetString().ShouldBe("社区工作者");
        me.GetProperty("phoneMasked").GetString().ShouldNotBeNull().ShouldMatch(@"^\d{3}\*{4}\d{4}$");

        (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await using var db = app.OpenDb();
        (await db.AuditEntries.AnyAsync(a => a.Action == "logout" && a.UserName == "demo-community")).ShouldBeTrue();
        (await db.AuditEntries.AnyAsync(a => a.Action == "login.success" && a.UserName == "demo-community")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_forged_token_is_refused()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        await (await client.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Weak_passwords_and_unknown_roles_are_refused_with_field_errors()
    {
        var security = await app.LoginAsync("demo-secadmin");
        var before = await app.OpenDb().Users.CountAsync();
        var problem = await (await security.PostAsJsonAsync("/api/v1/users", new
        {
            userName = "weak-user", displayName = "弱密码", password = "abcdefgh", phone = "12345",
            roles = new[] { new { role = "KingOfEverything", organizationId = Guid.NewGuid() } },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        problem.FieldError("password").ShouldBe("密码须包含大写字母、小写字母、数字、符号中的至少3类");
        problem.FieldError("phone").ShouldContain("11位");
        problem.FieldError("roles[0].role").ShouldBe("角色无效");
        (await app.OpenDb().Users.CountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task One_account_holds_at_most_four_disjoint_scopes()
    {
        var id = await CreateUserAsync("many-scopes-user");
        var district = await app.LoginAsync("demo-district");
        var streets = (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children").EnumerateArray().Select(s => s.Id()).ToList();
        var security = await app.LoginAsync("demo-secadmin");
        var five = streets.Take(5).Select(s => new { role = "StreetAdmin", organizationId = s }).ToArray();
        var problem = await (await security.PutAsJsonAsync($"/api/v1/users/{id}/roles", five)).ProblemAsync(HttpStatusCode.BadRequest);
        problem.FieldError("roles").ShouldContain("最多可绑定4个");
        var four = await security.PutJsonAsync($"/api/v1/users/{id}/roles", five.Take(4).ToArray());
        four.GetProperty("roles").GetArrayLength().ShouldBe(4);
        await using var db = app.OpenDb();
        (await db.AuditEntries.CountAsync(a => a.Action == "role.change" && a.Changes!.Contains(id))).ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task Phone_numbers_are_stored_encrypted_with_a_lookup_hash()
    {
        var id = await CreateUserAsync("phone-user");
        await using var db = app.OpenDb();
        var user = await db.Users.SingleAsync(u => u.Id == id);
        user.PhoneNumber.ShouldBeNull();
        user.PhoneCipher.ShouldNotBeNull().ShouldStartWith("sm4gcm:");
        user.PhoneCipher.ShouldNotContain("13912345678");
        var protector = (Data.Protection.FieldProtector)app.Services.GetService(typeof(Data.Protection.FieldProtector))!;
        protector.Decrypt(user.PhoneCipher).ShouldBe("13912345678");
        user.PhoneHash.ShouldBe(protector.Hash("139-1234-5678", Data.Protection.ProtectedKind.Phone));
        // The audit record of the account's creation names the field but never its value.
        var audit = await db.AuditEntries.Where(a => a.EntityType == "AppUser" && a.EntityId == id && a.Action == "create").SingleAsync();
        audit.Changes.ShouldNotBeNull().ShouldNotContain("13912345678");
        audit.Changes.ShouldNotContain(user.PasswordHash!);
    }
}
