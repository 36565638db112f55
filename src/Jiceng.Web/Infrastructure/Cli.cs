using System.Security.Cryptography;
using Jiceng.Data.Identity;
using Jiceng.Data.Scope;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Features.Audit;
using Jiceng.Web.Features.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Infrastructure;

/// <summary>Command-line verbs: `migrate`, `admin create`, `audit verify`. Anything else starts the server.</summary>
public static class Cli
{
    public static readonly string[] Verbs = ["migrate", "admin", "audit"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        using var scope = services.CreateScope();
        var sp = scope.ServiceProvider;
        await using var db = await sp.GetRequiredService<ScopedDbFactory>().CreateUnrestrictedAsync();
        switch (args)
        {
            case ["migrate", ..]:
                await ServiceSetup.MigrateAsync(db);
                Console.WriteLine("数据库迁移已完成 / migrations applied");
                return 0;
            case ["audit", "verify", ..]:
            {
                var result = await AuditVerifier.VerifyAsync(db);
                Console.WriteLine(result.Intact
                    ? $"审计日志完整：已校验 {result.Checked} 条 / audit chain intact ({result.Checked} records)"
                    : $"审计日志被破坏：{result.Problem} / audit chain broken at lane {result.Lane} sequence {result.FirstBrokenSequence}");
                return result.Intact ? 0 : 1;
            }
            case ["admin", "create", ..]:
                return await CreateAdminAsync(sp, db, args);
            case ["admin", "2fa", ..]:
                return await ResetTwoFactorAsync(sp, db, args);
            default:
                Console.Error.WriteLine("用法 / usage: migrate | audit verify | admin create --user NAME [--role SystemAdmin|SecurityAdmin|Auditor] [--name 姓名] [--district 区委名称] [--password P] | admin 2fa --user NAME");
                return 2;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Creates an administrator bound to the root organization (creating the root if the
    /// database is empty). Two-factor is switched on at once and the key printed for the authenticator app.</summary>
    private static async Task<int> CreateAdminAsync(IServiceProvider sp, Data.JicengDbContext db, string[] args)
    {
        await ServiceSetup.MigrateAsync(db);
        var userName = Option(args, "--user");
        var role = Option(args, "--role") ?? Roles.SystemAdmin;
        if (string.IsNullOrWhiteSpace(userName)) { Console.Error.WriteLine("请用 --user 指定用户名"); return 2; }
        if (!Roles.Administrators.Contains(role)) { Console.Error.WriteLine("--role 须为 SystemAdmin、SecurityAdmin 或 Auditor"); return 2; }
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(userName) is not null) { Console.Error.WriteLine($"用户 {userName} 已存在"); return 1; }
        var password = Option(args, "--password") ?? GeneratePassword();
        if (PasswordPolicy.Check(password) is { } pwError) { Console.Error.WriteLine(pwError); return 2; }

        db.Actor = new AuditActor(null, "cli", "", "localhost");
        var root = await db.Organizations.FirstOrDefaultAsync(o => o.ParentId == null);
        if (root is null)
        {
            var now = TimeProvider.System.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            root = new Organization { Id = id, Name = Option(args, "--district") ?? "区委", Kind = OrganizationKind.DistrictCommittee, Path = OrgPath.Root(id), CreatedAt = now, UpdatedAt = now };
            db.Organizations.Add(root);
            await db.SaveChangesAsync();
        }
        var user = new AppUser { Id = Guid.CreateVersion7().ToString(), UserName = userName, DisplayName = Option(args, "--name") ?? Roles.ToChinese(role), CreatedAt = TimeProvider.System.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) { Console.Error.WriteLine(string.Join("；", created.Errors.Select(e => e.Description))); return 1; }
        db.RoleAssignments.Add(new RoleAssignment { Id = Guid.CreateVersion7(), UserId = user.Id, Role = role, OrganizationId = root.Id });
        await db.SaveChangesAsync();
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        await users.SetTwoFactorEnabledAsync(user, true);
        Console.WriteLine($"已创建{Roles.ToChinese(role)} {userName}（范围：{root.Name}）");
        if (Option(args, "--password") is null) Console.WriteLine($"初始密码（仅显示一次）：{password}");
        Console.WriteLine($"双因素认证已启用。请在身份验证器中添加密钥：{key}");
        Console.WriteLine($"或扫描：{AuthEndpoints.TotpUri(userName, key)}");
        return 0;
    }

    /// <summary>Gives an account (typically an administrator created through the API) a new authenticator
    /// key and switches two-factor on: the way for an administrator to enrol outside demo mode.</summary>
    private static async Task<int> ResetTwoFactorAsync(IServiceProvider sp, Data.JicengDbContext db, string[] args)
    {
        var userName = Option(args, "--user");
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        if (string.IsNullOrWhiteSpace(userName) || await users.FindByNameAsync(userName) is not { } user)
        {
            Console.Error.WriteLine("请用 --user 指定已存在的用户名");
            return 2;
        }
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        await users.SetTwoFactorEnabledAsync(user, true);
        db.Actor = new AuditActor(null, "cli", "", "localhost");
        db.Audit("account.2fa-reset", nameof(AppUser), user.Id);
        await db.SaveChangesAsync();
        Console.WriteLine($"已为 {userName} 重置并启用双因素认证。请在身份验证器中添加密钥：{key}");
        Console.WriteLine($"或扫描：{AuthEndpoints.TotpUri(userName, key)}");
        return 0;
    }

    private static string GeneratePassword()
    {
        const string chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
        var body = new string(Enumerable.Range(0, 12).Select(_ => chars[RandomNumberGenerator.GetInt32(chars.Length)]).ToArray());
        return $"{body}@{RandomNumberGenerator.GetInt32(10, 99)}";
    }
}
