using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Jiceng.Data;
using Jiceng.Data.Identity;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jiceng.Web.Infrastructure;

public static class AuthSchemes
{
    public const string Token = "JicengToken";
    public const string Smart = "Jiceng";
}

public static class Policies
{
    public const string OrgRead = "OrgRead";
    public const string OrgWrite = "OrgWrite";
    public const string AuditRead = "AuditRead";
    public const string AccountAdmin = "AccountAdmin";
    public const string SettingsAdmin = "SettingsAdmin";
    public const string Staff = "Staff";
    public const string MemberRead = "MemberRead";
    public const string MemberWrite = "MemberWrite";
}

/// <summary>Adds a role claim per role assignment (the org-bound roles are ours, not Identity's role tables).</summary>
public sealed class JicengClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options, JicengDbContext db)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var roles = await db.RoleAssignments.IgnoreQueryFilters().Where(a => a.UserId == user.Id).Select(a => a.Role).Distinct().ToListAsync();
        foreach (var r in roles) identity.AddClaim(new Claim(ClaimTypes.Role, r));
        if (!string.IsNullOrEmpty(user.DisplayName)) identity.AddClaim(new Claim("display_name", user.DisplayName));
        return identity;
    }
}

/// <summary>等保2.0 password rule (see <see cref="PasswordPolicy"/>), with the message in Chinese.</summary>
public sealed class JicengPasswordValidator : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(PasswordPolicy.Check(password) is { } error
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = error })
            : IdentityResult.Success);
}

/// <summary>API bearer tokens: opaque random strings whose SHA-256 is looked up in the database,
/// sliding with use until the staff idle limit. Any app copy can validate; logout deletes the row.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDbContextFactory<JicengDbContext> factory, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(15);

    public sealed record TokenRow(Guid Id, DateTimeOffset ExpiresAt, DateTimeOffset LastUsedAt, string? UserName, string? DisplayName,
        bool Disabled, bool LockoutEnabled, DateTimeOffset? LockoutEnd, string UserId);

    // Compiled once: every API request runs it, and translating the LINQ each time cost more than the query itself.
    private static readonly CompiledPerModel<Func<JicengDbContext, string, CancellationToken, Task<TokenRow?>>> TokenQuery = new(() =>
        EF.CompileAsyncQuery((JicengDbContext db, string hash, CancellationToken ct) =>
            (from t in db.ApiTokens.AsNoTracking()
             join u in db.Users.AsNoTracking() on t.UserId equals u.Id
             where t.TokenHash == hash
             select new TokenRow(t.Id, t.ExpiresAt, t.LastUsedAt, u.UserName, u.DisplayName, u.Disabled, u.LockoutEnabled, u.LockoutEnd, u.Id))
            .FirstOrDefault()));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewToken() => Base64UrlEncoder(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncoder(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = HashToken(header["Bearer ".Length..].Trim());
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(Context.RequestAborted);
        // Every API request passes here, so it costs two indexed queries: the token with its account, and
        // the account's role assignments, which give both the role claims and the data scope of this request.
        var found = await TokenQuery.For(db)(db, hash, Context.RequestAborted);
        if (found is null || found.ExpiresAt <= now) return AuthenticateResult.Fail("invalid or expired token");
        if (found.Disabled || (found.LockoutEnabled && found.LockoutEnd > now)) return AuthenticateResult.Fail("account unavailable");
        if (now - found.LastUsedAt > TimeSpan.FromSeconds(30))
            await db.ApiTokens.Where(t => t.Id == found.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now).SetProperty(t => t.ExpiresAt, now + IdleLimit), Context.RequestAborted);
        var assignments = await CurrentUser.AssignmentsAsync(db, found.UserId, Context.RequestAborted);
        Context.Items[CurrentUser.AssignmentsKey] = assignments;
        var identity = new ClaimsIdentity(Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, found.UserId));
        identity.AddClaim(new Claim(ClaimTypes.Name, found.UserName!));
        if (!string.IsNullOrEmpty(found.DisplayName)) identity.AddClaim(new Claim("display_name", found.DisplayName));
        foreach (var role in assignments.Select(a => a.Role).Distinct()) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        identity.AddClaim(new Claim("token_id", found.Id.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResults.WriteAsync(Context, StatusCodes.Status401Unauthorized, "未登录或登录已过期", "请重新登录后再试");

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await DeniedAccessAudit.RecordAsync(Context, "role");
        await ProblemResults.WriteAsync(Context, StatusCodes.Status403Forbidden, "无权执行此操作", "当前账户的角色不允许此操作");
    }
}

public static class AuthSetup
{
    public static IServiceCollection AddJicengAuth(this IServiceCollection services)
    {
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = PasswordPolicy.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<JicengDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<JicengClaimsFactory>()
            .AddPasswordValidator<JicengPasswordValidator>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Smart;
                o.DefaultChallengeScheme = AuthSchemes.Smart;
            })
            .AddPolicyScheme(AuthSchemes.Smart, "cookie or bearer", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? AuthSchemes.Token
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(AuthSchemes.Token, null)
            .AddIdentityCookies(b => b.ApplicationCookie!.Configure(o =>
            {
                o.Cookie.Name = "jiceng.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TokenAuthenticationHandler.IdleLimit;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/denied";
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized, "未登录或登录已过期", "请重新登录后再试");
                o.Events.OnRedirectToAccessDenied = async ctx =>
                {
                    await DeniedAccessAudit.RecordAsync(ctx.HttpContext, "role");
                    await ApiAware(ctx, StatusCodes.Status403Forbidden, "无权执行此操作", "当前账户的角色不允许此操作");
                };
            }));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.OrgRead, p => p.RequireRole(Roles.OrganizationReaders))
            .AddPolicy(Policies.OrgWrite, p => p.RequireRole(Roles.OrganizationEditors))
            .AddPolicy(Policies.AuditRead, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Policies.AccountAdmin, p => p.RequireRole(Roles.SecurityAdmin))
            .AddPolicy(Policies.SettingsAdmin, p => p.RequireRole(Roles.SystemAdmin))
            .AddPolicy(Policies.Staff, p => p.RequireRole(RoleClaims.StaffRoles))
            .AddPolicy(Policies.MemberRead, p => p.RequireRole(Roles.MemberReaders))
            .AddPolicy(Policies.MemberWrite, p => p.RequireRole(Roles.MemberEditors));
        return services;
    }

    private static Task ApiAware(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status, string title, string detail)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
            return ProblemResults.WriteAsync(ctx.HttpContext, status, title, detail);
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
