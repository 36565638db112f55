using System.Security.Claims;
using Jiceng.Data.Identity;
using Jiceng.Domain.Identity;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Jiceng.Web.Features.Identity;

public sealed record LoginRequest(string? UserName, string? Password, string? TotpCode);
public sealed record TokenResponse(string AccessToken, int ExpiresIn, string TokenType = "Bearer");
public sealed record RoleScope(string Role, string RoleName, Guid OrganizationId, string OrganizationName);
public sealed record MeResponse(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<RoleScope> Scopes, bool TwoFactorEnabled, string? PhoneMasked);
public sealed record TwoFactorSetup(string SharedKey, string AuthenticatorUri);
public sealed record TwoFactorCode(string? Code);

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/auth").WithTags("登录与账户");

        g.MapPost("/login", async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> (
            LoginRequest req, LoginService login, HttpContext http, CancellationToken ct) =>
        {
            var errors = new FieldErrors().Required("userName", req.UserName, "用户名").Required("password", req.Password, "密码")
                .MaxLength("userName", req.UserName, 64, "用户名").MaxLength("password", req.Password, 128, "密码");
            if (errors.Any) return errors.ToProblem();
            var result = await login.CheckAsync(req.UserName, req.Password, req.TotpCode, http.Connection.RemoteIpAddress?.ToString(), ct);
            if (result.Status != LoginStatus.Ok)
                return TypedResults.Problem(title: "登录失败", detail: result.Message,
                    statusCode: result.Status == LoginStatus.TwoFactorSetupRequired ? 403 : 401,
                    extensions: new Dictionary<string, object?> { ["code"] = result.Status.ToString() });
            var (token, expiresIn) = await login.IssueTokenAsync(result.User!, ct);
            return TypedResults.Ok(new TokenResponse(token, expiresIn));
        }).AllowAnonymous().WithSummary("用户名密码登录，返回访问令牌");

        g.MapPost("/logout", async Task<NoContent> (ClaimsPrincipal user, LoginService login, CurrentUser current, CancellationToken ct) =>
        {
            if (Guid.TryParse(user.FindFirstValue("token_id"), out var tokenId)) await login.RevokeTokenAsync(tokenId, ct);
            await login.AuditLogoutAsync(await current.GetActorAsync(), ct);
            return TypedResults.NoContent();
        }).RequireAuthorization().WithSummary("退出登录（令牌立即失效）");

        g.MapGet("/me", async Task<Results<Ok<MeResponse>, ProblemHttpResult>> (ClaimsPrincipal principal, UserManager<AppUser> users, AccountService accounts, CancellationToken ct) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null) return ProblemResults.NotFound("用户");
            var scopes = await accounts.RoleScopesAsync(user.Id, ct);
            return TypedResults.Ok(new MeResponse(user.Id, user.UserName!, user.DisplayName, scopes.Select(s => s.Role).Distinct().ToList(), scopes, user.TwoFactorEnabled, user.PhoneMasked));
        }).RequireAuthorization().WithSummary("当前用户、角色与管理范围");

        g.MapPost("/2fa/setup", async Task<Results<Ok<TwoFactorSetup>, ValidationProblem, ProblemHttpResult>> (TwoFactorCode? body, ClaimsPrincipal principal, UserManager<AppUser> users) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null) return ProblemResults.NotFound("用户");
            // Re-keying an enabled second factor needs the current code: a stolen session alone cannot take it over.
            if (user.TwoFactorEnabled && (string.IsNullOrWhiteSpace(body?.Code)
                    || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, body.Code.Replace(" ", ""))))
                return ProblemResults.Invalid("code", "已启用双因素认证，更换密钥须先输入当前的动态验证码");
            await users.ResetAuthenticatorKeyAsync(user);
            var key = (await users.GetAuthenticatorKeyAsync(user))!;
            return TypedResults.Ok(new TwoFactorSetup(key, TotpUri(user.UserName!, key)));
        }).RequireAuthorization().WithSummary("生成身份验证器密钥（TOTP）");

        g.MapPost("/2fa/enable", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (TwoFactorCode body, ClaimsPrincipal principal, UserManager<AppUser> users) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null) return ProblemResults.NotFound("用户");
            if (string.IsNullOrWhiteSpace(body.Code) || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, body.Code.Replace(" ", "")))
                return ProblemResults.Invalid("code", "动态验证码不正确");
            await users.SetTwoFactorEnabledAsync(user, true);
            return TypedResults.NoContent();
        }).RequireAuthorization().WithSummary("以一个动态验证码确认并启用双因素认证");

        return app;
    }

    public static string TotpUri(string userName, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString("基层党建:" + userName)}?secret={key}&issuer={Uri.EscapeDataString("基层党建")}&digits=6";

    /// <summary>Form endpoints for the pages: sign-in sets the cookie, sign-out clears it.</summary>
    public static IEndpointRouteBuilder MapAccountFormEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async ([FromForm] string? userName, [FromForm] string? password, [FromForm] string? totpCode, [FromForm] string? returnUrl,
            LoginService login, SignInManager<AppUser> signIn, HttpContext http, CancellationToken ct) =>
        {
            var result = await login.CheckAsync(userName, password, totpCode, http.Connection.RemoteIpAddress?.ToString(), ct);
            var back = IsLocal(returnUrl) ? returnUrl! : "/";
            if (result.Status != LoginStatus.Ok)
                return Results.Redirect($"/login?error={(int)result.Status}&userName={Uri.EscapeDataString(userName ?? "")}&returnUrl={Uri.EscapeDataString(back)}");
            await signIn.SignInAsync(result.User!, isPersistent: false);
            return Results.LocalRedirect(back);
        }).AllowAnonymous().ExcludeFromDescription();

        // The page calls this while its user is active, so the sliding cookie does not expire under someone at work.
        app.MapGet("/account/ping", () => Results.NoContent()).RequireAuthorization().ExcludeFromDescription();

        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, LoginService login, CurrentUser current, CancellationToken ct) =>
        {
            var actor = await current.GetActorAsync();
            await signIn.SignOutAsync();
            if (actor.UserId is not null) await login.AuditLogoutAsync(actor, ct);
            return Results.Redirect("/login?loggedOut=1");
        }).ExcludeFromDescription();
        return app;
    }

    private static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");
}
