using Jiceng.Domain.Cases;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Grids;

public static class GridEndpoints
{
    public static IEndpointRouteBuilder MapGridEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1").WithTags("网格与民情台账").RequireAuthorization(p => p.RequireRole(CaseRoles.Handlers));

        g.MapGet("/grids", async Task<Results<Ok<List<GridSummary>>, ValidationProblem, ProblemHttpResult>> (Guid? orgId, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(orgId, ct), "组织")).WithSummary("网格列表（orgId 的下级网格）");
        g.MapGet("/grids/{id:guid}", async Task<Results<Ok<GridDetail>, ProblemHttpResult>> (Guid id, GridService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } d ? TypedResults.Ok(d) : ProblemResults.NotFound("网格")).WithSummary("网格详情：网格员、联户长、楼栋");
        g.MapPost("/grids", async Task<Results<Ok<GridDetail>, ValidationProblem, ProblemHttpResult>> (GridInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CreateAsync(input, ct), "网格党支部"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("新建网格（对应一个网格党支部）");
        g.MapPost("/grids/{id:guid}/staff", async Task<Results<Ok<GridStaffView>, ValidationProblem, ProblemHttpResult>> (Guid id, GridStaffInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.AddStaffAsync(id, input, ct), "网格"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("添加专职/兼职网格员或联户长");
        g.MapGet("/grids/{id:guid}/qr", async Task<IResult> (Guid id, HttpRequest request, HouseholdLedgerService svc, CancellationToken ct) =>
            await svc.QrAsync(request, id, ct) is { } png ? TypedResults.File(png, "image/png", $"grid-{id:N}.png") : ProblemResults.NotFound("网格"))
            .Produces(200, contentType: "image/png").WithSummary("网格二维码（PNG，扫码打开居民上报页）");

        g.MapGet("/households", async Task<Results<Ok<PagedList<HouseholdSummary>>, ValidationProblem, ProblemHttpResult>> (
            Guid? gridId, Guid? orgId, string? tag, string? q, int? page, int? pageSize, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.HouseholdsAsync(gridId, orgId, tag, q, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "网格")).WithSummary("住户台账");
        g.MapGet("/households/coverage", async Task<Results<Ok<CoverageView>, ValidationProblem, ProblemHttpResult>> (
            Guid orgId, int? year, int? page, int? pageSize, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CoverageAsync(orgId, year, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "组织"))
            .WithSummary("走访覆盖：本年走访少于4次的住户、上季度以来未走访户数");
        g.MapGet("/households/{id:guid}", async Task<Results<Ok<HouseholdDetail>, ProblemHttpResult>> (Guid id, GridService svc, CancellationToken ct) =>
            await svc.HouseholdAsync(id, ct) is { } h ? TypedResults.Ok(h) : ProblemResults.NotFound("住户")).WithSummary("住户详情（电话脱敏）");
        g.MapPost("/households", async Task<Results<Ok<HouseholdDetail>, ValidationProblem, ProblemHttpResult>> (HouseholdInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CreateHouseholdAsync(input, ct), "网格"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("登记住户");
        g.MapPut("/households/{id:guid}", async Task<Results<Ok<HouseholdDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, HouseholdInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.UpdateHouseholdAsync(id, input, ct), "住户"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("修改住户（members 为空则不改家庭成员）");

        g.MapGet("/visits", async Task<Results<Ok<PagedList<VisitView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? householdId, Guid? orgId, DateOnly? from, DateOnly? to, int? page, int? pageSize, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.VisitsAsync(householdId, orgId, from, to, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "组织")).WithSummary("走访记录");
        g.MapPost("/visits", async Task<Results<Ok<VisitView>, ValidationProblem, ProblemHttpResult>> (VisitInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RecordVisitAsync(input, ct), "住户"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.Visitors)).WithSummary("记录走访（无需定位和照片）");
        g.MapPost("/visits/{id:guid}/case", async Task<Results<Ok<CaseDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, VisitCaseInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CaseFromVisitAsync(id, input, ct), "走访"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.Visitors)).WithSummary("走访发现的问题一键转为诉求");
        return app;
    }
}
