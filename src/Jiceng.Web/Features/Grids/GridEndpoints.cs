using Jiceng.Domain.Cases;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
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
        g.MapPut("/grids/{id:guid}", async Task<Results<Ok<GridDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, GridInput input, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.UpdateAsync(id, input, ct), "网格"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("修改网格名称和范围");
        g.MapDelete("/grids/{id:guid}/staff/{staffId:guid}", async Task<Results<Ok<GridDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, Guid staffId, GridService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RemoveStaffAsync(id, staffId, ct), "网格员"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("网格员或联户长离开网格（保留历史，其联系的住户变为未明确）");
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
        g.MapGet("/grids/export", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (Guid? orgId, HouseholdExportService svc, TimeProvider clock, CancellationToken ct) =>
                await svc.GridLedgerAsync(orgId, ct) is { Value: { } bytes } ? TypedResults.File(bytes, XlsxPackage.ContentType, $"网格台账_{clock.Today():yyyyMMdd}.xlsx") : ProblemResults.NotFound("组织"))
            .WithSummary("导出网格台账（.xlsx：网格、网格员、联户长、住户数、预警；电话脱敏；记入审计）");
        g.MapGet("/households/import-template", () => TypedResults.File(HouseholdImportService.Template(), XlsxPackage.ContentType, "民情台账导入模板.xlsx"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("下载民情台账导入模板（.xlsx，含填写说明）");
        g.MapPost("/households/import", (HttpContext http, HouseholdImportService svc, IAntiforgery antiforgery, CancellationToken ct) =>
                LedgerUpload.ReceiveAsync(http, antiforgery, stream => svc.ImportAsync(stream, ct), "住户导入错误清单.xlsx", ct))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors))
            .AsUpload()
            .WithSummary("从Excel导入住户（multipart字段file，.xlsx，≤10MB，≤50000行）")
            .WithDescription("全部行校验通过才导入，成功返回 {imported: N}；任何一行有误则不写入任何数据，返回400 problem+json（errorCount、errors、errorSheet），规则同党员导入。");
        g.MapGet("/households/export", async Task<Results<PushStreamHttpResult, ProblemHttpResult>> (
                Guid? gridId, Guid? orgId, string? tag, string? q, HouseholdExportService svc, CancellationToken ct) =>
            {
                var outcome = await svc.StartAsync(gridId, orgId, tag, q, ct);
                if (outcome.Value is not { } export) return ProblemResults.NotFound(gridId is null ? "组织" : "网格");
                return TypedResults.Stream(body => svc.WriteAsync(export, body, ct), XlsxPackage.ContentType, export.FileName);
            })
            .WithSummary("导出民情台账（.xlsx，筛选同住户台账；电话脱敏；每次导出记入审计；可按模板重新导入）");
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
