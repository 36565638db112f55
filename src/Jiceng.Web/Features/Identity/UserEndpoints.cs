using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Identity;

public sealed record RevealedPhone(string Phone);

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/users").WithTags("账户与角色（安全管理员）").RequireAuthorization(Policies.AccountAdmin);

        g.MapGet("/", async Task<Results<Ok<PagedList<UserSummary>>, ValidationProblem>> (string? search, int? page, int? pageSize, AccountService svc, CancellationToken ct) =>
        {
            var errors = Paging.Check(page, pageSize);
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await svc.ListAsync(search, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct));
        });

        g.MapPost("/", async Task<Results<Ok<UserSummary>, ValidationProblem, ProblemHttpResult>> (CreateUserInput input, AccountService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CreateAsync(input, ct), "用户"));

        g.MapPut("/{id}/roles", async Task<Results<Ok<UserSummary>, ValidationProblem, ProblemHttpResult>> (string id, List<RoleInput> roles, AccountService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.SetRolesAsync(id, roles, ct), "用户"));

        g.MapGet("/{id}/phone", async Task<Results<Ok<RevealedPhone>, ValidationProblem, ProblemHttpResult>> (string id, AccountService svc, ProtectedFieldReveal reveal, CancellationToken ct) =>
        {
            var outcome = await svc.RevealPhoneAsync(id, reveal, ct);
            if (outcome.NotFound) return ProblemResults.NotFound("用户");
            return TypedResults.Ok(new RevealedPhone(outcome.Value!));
        }).WithSummary("查看完整手机号（记入审计）");

        g.MapPost("/{id}/unlock", async Task<Results<NoContent, ProblemHttpResult>> (string id, AccountService svc, CancellationToken ct) =>
            await svc.UnlockAsync(id, ct) ? TypedResults.NoContent() : ProblemResults.NotFound("用户"));
        return app;
    }
}
