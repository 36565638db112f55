using Jiceng.Domain.Transfers;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Transfers;

public static class TransferEndpoints
{
    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/transfers").WithTags("组织关系转接").RequireAuthorization(Policies.MemberRead);

        g.MapGet("/", async Task<Results<Ok<PagedList<TransferSummary>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, TransferStatus? status, Guid? memberId, int? page, int? pageSize, TransferService svc, CancellationToken ct) =>
            ToResult(await svc.ListAsync(new TransferQuery(orgId, status, memberId, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct), "党组织"))
            .WithSummary("组织关系转接列表（转出方和转入方都能看到；orgId 为本组织及下级作为任一方的转接）");

        g.MapGet("/{id:guid}", async Task<Results<Ok<TransferDetail>, ProblemHttpResult>> (Guid id, TransferService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } t ? TypedResults.Ok(t) : ProblemResults.NotFound(TransferService.Noun))
            .WithSummary("转接详情（含办理过程）");

        g.MapPost("/", async Task<Results<Created<TransferDetail>, ValidationProblem, ProblemHttpResult>> (TransferInput input, TransferService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CreateAsync(input, ct);
            if (outcome.Errors is { } e) return e.ToProblem();
            if (outcome.NotFound) return ProblemResults.NotFound("党员");
            if (outcome.Forbidden is { } f) return Forbidden(f);
            return TypedResults.Created($"/api/v1/transfers/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(Policies.MemberWrite).WithSummary("发起转接（系统内、转往系统外，或登记系统外转入的介绍信）");

        g.MapPost("/{id:guid}/approve", async Task<Results<Ok<TransferDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, ApproveInput? input, TransferService svc, CancellationToken ct) =>
            ToResult(await svc.ApproveAsync(id, input, ct), TransferService.Noun))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("审批同意（转出方党委开具介绍信，或转入方党委同意接收）");

        g.MapPost("/{id:guid}/reject", async Task<Results<Ok<TransferDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, RejectInput? input, TransferService svc, CancellationToken ct) =>
            ToResult(await svc.RejectAsync(id, input, ct), TransferService.Noun))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("退回（须填写原因）");

        g.MapPost("/{id:guid}/receive", async Task<Results<Ok<TransferDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, ReceiveInput? input, TransferService svc, CancellationToken ct) =>
            ToResult(await svc.ReceiveAsync(id, input, ct), TransferService.Noun))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("确认接收（回执）：党员转入新组织；转往系统外时登记回执");

        g.MapPost("/{id:guid}/cancel", async Task<Results<Ok<TransferDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, CancelInput? input, TransferService svc, CancellationToken ct) =>
            ToResult(await svc.CancelAsync(id, input, ct), TransferService.Noun))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("撤回（发起方，办结前）");
        return app;
    }

    internal static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToResult<T>(TransferOutcome<T> outcome, string what)
    {
        if (outcome.Errors is { } e) return e.ToProblem();
        if (outcome.NotFound) return ProblemResults.NotFound(what);
        if (outcome.Forbidden is { } f) return Forbidden(f);
        return TypedResults.Ok(outcome.Value!);
    }

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "无权办理该步骤", detail: detail, statusCode: StatusCodes.Status403Forbidden);
}
