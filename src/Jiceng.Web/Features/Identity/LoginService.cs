using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Identity;
using Jiceng.Data.Scope;
using Jiceng.Domain.Identity;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jiceng.Web.Features.Identity;

public enum LoginStatus
{
    Ok,
    /// <summary>Wrong user, wrong password, disabled or locked: one answer for all, so accounts cannot be probed.</summary>
    Invalid,
    TwoFactorRequired,
    TwoFactorSetupRequired,
}

public sealed record LoginResult(LoginStatus Status, AppUser? User = null)
{
    public string Message => Status switch
    {
        LoginStatus.Ok => "登录成功",
        LoginStatus.TwoFactorRequired => "请输入身份验证器中的6位动态验证码",
        LoginStatus.TwoFactorSetupRequired => "管理员账户须先启用双因素认证，请联系安全管理员",
        _ => "用户名或密码错误（连续失败5次将锁定15分钟）",
    };
}

/// <summary>Password check with lockout, TOTP second factor, and an audit record of every attempt.</summary>
public sealed class LoginService(
    UserManager<AppUser> users, SignInManager<AppUser> signIn, IDbContextFactory<JicengDbContext> factory,
    IOptions<JicengOptions> options, TimeProvider clock)
{
    public async Task<LoginResult> CheckAsync(string? userName, string? password, string? totpCode, string? clientAddress, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName.Trim());
        if (user is null || user.Disabled)
        {
            // Same work as a real check, so timing does not tell whether the account exists.
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash, password ?? "");
            await AuditAsync(null, userName, [], clientAddress, AuditActions.LoginFailure, false, "unknown-or-disabled", ct);
            return new LoginResult(LoginStatus.Invalid);
        }
        var roles = await RolesOfAsync(user.Id, ct);
        var check = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await AuditAsync(user.Id, user.UserName, roles, clientAddress, AuditActions.LoginFailure, false, check.IsLockedOut ? "locked-out" : "bad-password", ct);
            return new LoginResult(LoginStatus.Invalid);
        }
        var isAdministrator = roles.Any(Roles.Administrators.Contains);
        if (isAdministrator && !options.Value.DemoMode && !user.TwoFactorEnabled)
        {
            await AuditAsync(user.Id, user.UserName, roles, clientAddress, AuditActions.LoginFailure, false, "two-factor-not-set-up", ct);
            return new LoginResult(LoginStatus.TwoFactorSetupRequired);
        }
        if (user.TwoFactorEnabled)
        {
            var code = (totpCode ?? "").Replace(" ", "");
            if (code.Length == 0)
            {
                await AuditAsync(user.Id, user.UserName, roles, clientAddress, AuditActions.LoginFailure, false, "totp-required", ct);
                return new LoginResult(LoginStatus.TwoFactorRequired);
            }
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            {
                await users.AccessFailedAsync(user);
                await AuditAsync(user.Id, user.UserName, roles, clientAddress, AuditActions.LoginFailure, false, "bad-totp", ct);
                return new LoginResult(LoginStatus.Invalid);
            }
            await users.ResetAccessFailedCountAsync(user);
        }
        await AuditAsync(user.Id, user.UserName, roles, clientAddress, AuditActions.LoginSuccess, true, null, ct);
        return new LoginResult(LoginStatus.Ok, user);
    }

    /// <summary>Issues an API token for a user who passed <see cref="CheckAsync"/>.</summary>
    public async Task<(string Token, int ExpiresIn)> IssueTokenAsync(AppUser user, CancellationToken ct)
    {
        var token = TokenAuthenticationHandler.NewToken();
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.CreateVersion7(now), TokenHash = TokenAuthenticationHandler.HashToken(token), UserId = user.Id,
            CreatedAt = now, LastUsedAt = now, ExpiresAt = now + TokenAuthenticationHandler.IdleLimit,
        });
        // Expired tokens of this user go at the same time; nothing else needs to sweep them.
        await db.ApiTokens.Where(t => t.UserId == user.Id && t.ExpiresAt < now).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return (token, (int)TokenAuthenticationHandler.IdleLimit.TotalSeconds);
    }

    public async Task RevokeTokenAsync(Guid tokenId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.ApiTokens.Where(t => t.Id == tokenId).ExecuteDeleteAsync(ct);
    }

    public async Task AuditLogoutAsync(AuditActor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Actor = actor;
        db.Audit(AuditActions.Logout, nameof(AppUser), actor.UserId);
        await db.SaveChangesAsync(ct);
    }

    private async Task<List<string>> RolesOfAsync(string userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.RoleAssignments.IgnoreQueryFilters().Where(a => a.UserId == userId).Select(a => a.Role).Distinct().ToListAsync(ct);
    }

    private async Task AuditAsync(string? userId, string? userName, List<string> roles, string? clientAddress, string action, bool success, string? reason, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Scope = DataScope.None;
        db.Clock = clock;
        var name = userName is { Length: > 64 } ? userName[..64] : userName;
        db.Actor = new AuditActor(userId, name, string.Join(",", roles), clientAddress);
        db.Audit(action, nameof(AppUser), userId, success: success, details: reason is null ? null : new { reason });
        await db.SaveChangesAsync(ct);
    }

    private static readonly string DummyHash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), "not-a-real-password-Jiceng");
}
