using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Web.Infrastructure;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Jiceng.Web.Tests.Features.Identity;

/// <summary>Production: no demo data, the first administrator from the command line, two factors for administrators.</summary>
public sealed class ProductionTests(ProductionSqliteApp app) : IClassFixture<ProductionSqliteApp>
{
    private static string Totp(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    [Fact]
    public async Task Production_seeds_nothing_and_administrators_need_a_second_factor()
    {
        await using (var db = app.OpenDb())
        {
            (await db.Organizations.CountAsync()).ShouldBe(0);
            (await db.Users.CountAsync()).ShouldBe(0);
        }
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "demo-sysadmin", password = JicengApp.DemoPassword }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int code;
        try { code = await Cli.RunAsync(app.Services, ["admin", "create", "--user", "root-admin", "--role", "SystemAdmin", "--district", "测试区委", "--password", "Root#Admin2026"]); }
        finally { Console.SetOut(previous); }
        code.ShouldBe(0);
        var key = output.ToString().Split('\n').Single(l => l.StartsWith("双因素认证已启用")).Split('：')[1].Trim();

        var client = app.CreateClient();
        var noCode = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "root-admin", password = "Root#Admin2026" });
        (await noCode.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString().ShouldBe("TwoFactorRequired");
        var wrongCode = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "root-admin", password = "Root#Admin2026", totpCode = "000000" });
        wrongCode.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var ok = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "root-admin", password = "Root#Admin2026", totpCode = Totp(key) });
        var token = (await ok.JsonAsync(HttpStatusCode.OK)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var tree = await client.GetJsonAsync("/api/v1/orgs/tree?depth=0");
        tree[0].GetProperty("name").GetString().ShouldBe("测试区委");

        // An administrator account without a second factor cannot sign in outside demo mode.
        await using (var db = app.OpenDb())
        {
            var admin = await db.Users.SingleAsync(u => u.UserName == "root-admin");
            admin.TwoFactorEnabled = false;
            await db.SaveChangesAsync();
        }
        var refused = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "root-admin", password = "Root#Admin2026" });
        (await refused.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("code").GetString().ShouldBe("TwoFactorSetupRequired");
    }

    [Fact]
    public async Task Migrate_verb_is_idempotent()
    {
        (await Cli.RunAsync(app.Services, ["migrate"])).ShouldBe(0);
        (await Cli.RunAsync(app.Services, ["no-such-verb"])).ShouldBe(2);
    }
}

/// <summary>Any user can switch on TOTP; afterwards sign-in needs the code.</summary>
public sealed class TwoFactorTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Enabling_totp_makes_sign_in_ask_for_the_code()
    {
        var client = await app.LoginAsync("demo-member");
        var setup = await client.PostJsonAsync("/api/v1/auth/2fa/setup", new { });
        var key = setup.GetProperty("sharedKey").GetString()!;
        setup.GetProperty("authenticatorUri").GetString().ShouldStartWith("otpauth://totp/");
        var bad = await (await client.PostAsJsonAsync("/api/v1/auth/2fa/enable", new { code = "123456" })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("code").ShouldBe("动态验证码不正确");
        (await client.PostAsJsonAsync("/api/v1/auth/2fa/enable", new { code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp() })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var anonymous = app.CreateClient();
        var ask = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "demo-member", password = JicengApp.DemoPassword });
        (await ask.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString().ShouldBe("TwoFactorRequired");
        var ok = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new
        {
            userName = "demo-member", password = JicengApp.DemoPassword, totpCode = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(),
        });
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);

        // With two factors on, a session alone cannot re-key them.
        var rekey = await (await client.PostAsJsonAsync("/api/v1/auth/2fa/setup", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        rekey.FieldError("code").ShouldContain("当前的动态验证码");
        var rekeyed = await client.PostJsonAsync("/api/v1/auth/2fa/setup", new { code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp() });
        rekeyed.GetProperty("sharedKey").GetString().ShouldNotBe(key);
    }
}

/// <summary>Staff sessions end after 15 idle minutes; use keeps them alive.</summary>
public sealed class IdleTimeoutTests(FakeClockSqliteApp app) : IClassFixture<FakeClockSqliteApp>
{
    [Fact]
    public async Task A_token_slides_with_use_and_dies_after_fifteen_idle_minutes()
    {
        var client = await app.LoginAsync("demo-grid");
        var clock = app.Clock!;
        clock.Advance(TimeSpan.FromMinutes(10));
        (await client.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(10));
        (await client.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await (await client.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revealing_a_phone_is_allowed_to_the_security_administrator_only_and_audited()
    {
        var security = await app.LoginAsync("demo-secadmin");
        var users = await security.GetJsonAsync("/api/v1/users?search=demo-grid");
        var grid = users.GetProperty("items")[0];
        var masked = grid.GetProperty("phoneMasked").GetString()!;
        var full = (await security.GetJsonAsync($"/api/v1/users/{grid.GetProperty("id").GetString()}/phone")).GetProperty("phone").GetString()!;
        full.Length.ShouldBe(11);
        full[..3].ShouldBe(masked[..3]);
        full[^4..].ShouldBe(masked[^4..]);
        await using var db = app.OpenDb();
        (await db.AuditEntries.CountAsync(a => a.Action == "reveal" && a.UserName == "demo-secadmin" && a.EntityId == grid.GetProperty("id").GetString())).ShouldBe(1);

        var street = await app.LoginAsync("demo-street");
        (await street.GetAsync($"/api/v1/users/{grid.GetProperty("id").GetString()}/phone")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
