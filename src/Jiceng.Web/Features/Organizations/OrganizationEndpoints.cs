using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Organizations;

public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/orgs").WithTags("组织").RequireAuthorization(Policies.OrgRead);

        g.MapGet("/tree", async Task<Results<Ok<List<OrgNode>>, ValidationProblem, ProblemHttpResult>> (
            Guid? root, int? depth, bool? includeArchived, OrganizationService svc, CancellationToken ct) =>
        {
            var outcome = await svc.TreeAsync(root, depth ?? 2, includeArchived ?? false, ct);
            return ToResult(outcome, "组织");
        }).WithSummary("组织树（自root起若干层，默认本人管理范围的顶层）");

        g.MapGet("/{id:guid}", async Task<Results<Ok<OrgDetail>, ProblemHttpResult>> (Guid id, OrganizationService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } d ? TypedResults.Ok(d) : ProblemResults.NotFound("组织"))
            .WithSummary("组织详情");

        g.MapPost("/", async Task<Results<Created<OrgDetail>, ValidationProblem, ProblemHttpResult>> (OrgInput input, OrganizationService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CreateAsync(input, ct);
            if (outcome.Errors is { } e) return e.ToProblem();
            if (outcome.NotFound) return ProblemResults.NotFound("组织");
            return TypedResults.Created($"/api/v1/orgs/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(Policies.OrgWrite).WithSummary("新建组织");

        g.MapPut("/{id:guid}", async Task<Results<Ok<OrgDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, OrgInput input, OrganizationService svc, CancellationToken ct) =>
            ToResult(await svc.UpdateAsync(id, input, ct), "组织"))
            .RequireAuthorization(Policies.OrgWrite).WithSummary("修改组织");

        g.MapPost("/{id:guid}/move", async Task<Results<Ok<OrgDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, MoveInput input, OrganizationService svc, CancellationToken ct) =>
            ToResult(await svc.MoveAsync(id, input, ct), "组织"))
            .RequireAuthorization(Policies.OrgWrite).WithSummary("移动组织（连同全部下级）");

        g.MapPost("/{id:guid}/archive", async Task<Results<Ok<OrgDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, OrganizationService svc, CancellationToken ct) =>
            ToResult(await svc.ArchiveAsync(id, ct), "组织"))
            .RequireAuthorization(Policies.OrgWrite).WithSummary("撤销组织");

        return app;
    }

    internal static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToResult<T>(Outcome<T> outcome, string what)
    {
        if (outcome.Errors is { } e) return e.ToProblem();
        if (outcome.NotFound) return ProblemResults.NotFound(what);
        return TypedResults.Ok(outcome.Value!);
    }
}
