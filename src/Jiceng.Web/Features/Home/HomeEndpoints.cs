using Jiceng.Web.Features.Alerts;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Home;

public sealed record HomeView(Overview Overview, PagedList<AlertView> Alerts);

public static class HomeEndpoints
{
    /// <summary>The home page's figures as an API: the same two reads as Home.razor (counts by kind and open alerts,
    /// then the first page of alerts) for an organization in the caller's scope. The benchmark measures the home page here.</summary>
    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/orgs/{id:guid}/overview", async Task<Results<Ok<HomeView>, ProblemHttpResult>> (
                Guid id, OverviewService overviews, ScopedDbFactory dbs, CancellationToken ct) =>
            {
                if (await overviews.ForAsync(id, ct) is not { } overview) return ProblemResults.NotFound("组织");
                await using var db = await dbs.CreateAsync(ct);
                return TypedResults.Ok(new HomeView(overview, await AlertQueries.OpenAsync(db, id, 1, 20, ct)));
            })
            .WithTags("首页").RequireAuthorization(Policies.OrgRead).WithSummary("首页：本组织及下级的组织数量、未处理预警数和前20条预警");
        return app;
    }
}
