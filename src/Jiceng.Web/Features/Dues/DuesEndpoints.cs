using System.Text.Json;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Jiceng.Web.Features.Dues;

/// <summary>党费: the rule, bases, payments (Idempotency-Key), provider callbacks, ledgers and arrears.</summary>
public static class DuesEndpoints
{
    public const string PaymentOperation = "dues.payments";
    public const string RefundOperation = "dues.refunds";

    public static IEndpointRouteBuilder MapDuesEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/dues").WithTags("党费").RequireAuthorization(Policies.MemberRead);

        g.MapGet("/quote", async Task<Results<Ok<DuesQuoteView>, ValidationProblem, ProblemHttpResult>> (
                string? category, decimal? @base, DuesService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.QuoteAsync(category, @base, ct), "党费类别"))
            .WithSummary("按规定计算每月党费：category=employed|retired|student|unemployed|farmer|relief，base=每月税后工资或离退休费（元）");

        g.MapPost("/payments", PostPaymentAsync)
            .RequireAuthorization(Policies.MemberWrite)
            .Accepts<DuesPaymentInput>("application/json")
            .Produces<DuesPaymentView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("记录党费交纳（现金立即入账；在线支付返回支付链接 payUrl，支付结果通知到达后入账）")
            .WithDescription("交纳月份从“党费交至”的下一个月起连续计算，金额按规定计算，不需填写。请求头 Idempotency-Key：同一键重试返回第一次的结果，不会重复入账；同一键不同内容返回422。");

        g.MapGet("/payments/{id:guid}", async Task<Results<Ok<DuesPaymentView>, ProblemHttpResult>> (Guid id, DuesPaymentService svc, CancellationToken ct) =>
                await svc.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("党费交纳记录"))
            .WithSummary("党费交纳记录");

        g.MapPost("/payments/{id:guid}/refunds", PostRefundAsync)
            .RequireAuthorization(Policies.MemberWrite)
            .Accepts<DuesRefundInput>("application/json")
            .Produces<MemberDuesView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("退还党费：months 为空退还全部（含自愿多交），否则退还该笔最后几个月；须填写原因和批准人")
            .WithDescription("退还后党费交至和收缴台账按记录重新计算；在线支付通过支付机构原路退还，退款单号由交纳和月份确定，重试不会重复退款。多于未退还月数、已全部退还或之后还有已交月份的退还被拒绝。请求头 Idempotency-Key：同一键重试返回第一次的结果，不会重复退还；同一键用于不同内容（或另一笔交纳）返回422。");

        g.MapGet("/arrears", async Task<Results<Ok<PagedList<DuesArrearsRow>>, ValidationProblem, ProblemHttpResult>> (
                Guid? orgId, int? minMonths, int? page, int? pageSize, DuesLedgerService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.ArrearsAsync(orgId, minMonths ?? 1, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("欠交党费的党员（欠交月数多的在前；满3个月预警，满5个月严重）");

        // The provider calls this; it proves itself by its signature, not by a user's token.
        app.MapPost("/api/v1/dues/callbacks/{provider}", async Task<Results<Ok<CallbackResult>, ValidationProblem, ProblemHttpResult>> (
                string provider, PaymentCallback callback, DuesPaymentService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.HandleCallbackAsync(provider, callback, ct), "支付订单"))
            .AllowAnonymous().DisableAntiforgery().WithTags("党费")
            .WithSummary("支付结果通知（支付机构回调，验签；重复通知不会重复入账）");

        var me = app.MapGroup("/api/v1/me/dues").WithTags("党员自助").RequireAuthorization(p => p.RequireRole(Jiceng.Domain.Identity.Roles.Member));
        me.MapGet("/", async Task<Results<Ok<MemberDuesView>, ProblemHttpResult>> (DuesService svc, CancellationToken ct) =>
                await svc.MineAsync(ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("本人党员档案"))
            .WithSummary("本人党费：每月金额、党费交至、欠交和交纳记录");
        me.MapPost("/payments", async Task<Results<Ok<DuesPaymentView>, ValidationProblem, ProblemHttpResult>> (OwnPaymentInput input, DuesPaymentService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.StartOwnOnlineAsync(input.Months ?? 1, input.VoluntaryAmount, ct), "本人党员档案"))
            .WithSummary("在线交纳本人党费：返回支付链接 payUrl，支付完成后由支付结果通知入账");

        var members = app.MapGroup("/api/v1/members").WithTags("党费").RequireAuthorization(Policies.MemberRead);
        members.MapGet("/{id:guid}/dues", async Task<Results<Ok<MemberDuesView>, ProblemHttpResult>> (Guid id, DuesService svc, CancellationToken ct) =>
                await svc.ForMemberAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("党员"))
            .WithSummary("党员的党费：基数及历史、每月金额、党费交至、欠交、减免和交纳记录");
        members.MapPut("/{id:guid}/dues-base", async Task<Results<Ok<MemberDuesView>, ValidationProblem, ProblemHttpResult>> (
                Guid id, DuesBaseInput input, DuesService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.SetBaseAsync(id, input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("填写党费基数（自起算月份起适用，保留历史；每月金额按规定计算）");
        members.MapPost("/{id:guid}/dues-adjustments", async Task<Results<Ok<MemberDuesView>, ValidationProblem, ProblemHttpResult>> (
                Guid id, DuesAdjustmentInput input, DuesService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.AddAdjustmentAsync(id, input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("登记经支部和党委批准的减交、免交（记录批准的党委）");
        members.MapPost("/{id:guid}/dues-adjustments/{adjustmentId:guid}/revoke", async Task<Results<Ok<MemberDuesView>, ValidationProblem, ProblemHttpResult>> (
                Guid id, Guid adjustmentId, DuesRevocationInput input, DuesService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.RevokeAdjustmentAsync(id, adjustmentId, input, ct), "减免记录"))
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("撤销减免：自 fromMonth 起恢复按规定交纳（须在党费交至之后、减免期间内；原记录保留）");

        var orgs = app.MapGroup("/api/v1/orgs").WithTags("党费").RequireAuthorization(Policies.MemberRead);
        orgs.MapGet("/{id:guid}/dues-ledger", async Task<Results<Ok<DuesMonthLedger>, Ok<DuesYearLedger>, ValidationProblem, ProblemHttpResult>> (
                Guid id, string? month, int? year, string? state, int? page, int? pageSize, DuesLedgerService svc, CancellationToken ct) =>
            {
                if (month is null && year is { } y)
                {
                    var yearly = await svc.YearAsync(id, y, ct);
                    if (yearly.Errors is { } ye) return ye.ToProblem();
                    return yearly.NotFound ? ProblemResults.NotFound("党组织") : TypedResults.Ok(yearly.Value!);
                }
                var outcome = await svc.MonthAsync(id, month, state, page ?? 1, pageSize ?? 50, ct);
                if (outcome.Errors is { } e) return e.ToProblem();
                return outcome.NotFound ? ProblemResults.NotFound("党组织") : TypedResults.Ok(outcome.Value!);
            })
            .WithSummary("党费收缴台账：month=2026-10 按月（应交/实交/未交及名单，按下一级汇总），或 year=2026 按年");
        orgs.MapGet("/{id:guid}/dues-ledger/export", async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> (
                Guid id, string? month, DuesLedgerService svc, CancellationToken ct) =>
            {
                var outcome = await svc.ExportMonthAsync(id, month, ct);
                if (outcome.Errors is { } e) return e.ToProblem();
                if (outcome.NotFound) return ProblemResults.NotFound("党组织");
                return TypedResults.File(outcome.Value!.Content, XlsxPackage.ContentType, outcome.Value.FileName);
            })
            .WithSummary("导出党费收缴台账（.xlsx，汇总和明细两页；记入审计）");
        return app;
    }

    /// <summary>POST /api/v1/dues/payments with the Idempotency-Key header.</summary>
    private static Task<IResult> PostPaymentAsync(HttpContext http, DuesPaymentService svc, IdempotencyStore store, CurrentUser user,
        IOptions<JsonOptions> json, CancellationToken ct) =>
        IdempotentPostAsync<DuesPaymentInput, DuesPaymentView>(http, store, user, json, PaymentOperation, requestScope: "",
            (input, token) => svc.RecordAsync(input, token), StatusCodes.Status201Created, v => $"/api/v1/dues/payments/{v.Id}", "党员不存在",
            "未找到该党员，或不在您的管理范围内", "请为新的交纳使用新的键", ct);

    /// <summary>POST /api/v1/dues/payments/{id}/refunds with the Idempotency-Key header: the same key twice refunds once.
    /// The payment id is part of the request, so a key reused for another payment's refund is a different request (422).</summary>
    private static Task<IResult> PostRefundAsync(Guid id, HttpContext http, DuesPaymentService svc, IdempotencyStore store, CurrentUser user,
        IOptions<JsonOptions> json, CancellationToken ct) =>
        IdempotentPostAsync<DuesRefundInput, MemberDuesView>(http, store, user, json, RefundOperation, requestScope: id.ToString(),
            (input, token) => svc.RefundAsync(id, input, token), StatusCodes.Status200OK, location: null, "党费交纳记录不存在",
            "未找到该党费交纳记录，或不在您的管理范围内", "请为新的退还使用新的键", ct);

    /// <summary>
    /// A POST whose work must not happen twice (<see cref="IdempotencyStore"/>): the body is read once, the key (optional)
    /// is claimed with the hash of the request (<paramref name="requestScope"/>, e.g. the route's id, and the body), the work
    /// runs, and its answer — success, field errors or 404 — is stored for a retry with the same key.
    /// </summary>
    private static async Task<IResult> IdempotentPostAsync<TInput, TView>(HttpContext http, IdempotencyStore store, CurrentUser user,
        IOptions<JsonOptions> json, string operation, string requestScope, Func<TInput, CancellationToken, Task<Outcome<TView>>> work,
        int successStatus, Func<TView, string>? location, string notFoundTitle, string notFoundDetail, string newKeyHint, CancellationToken ct)
        where TInput : class
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        TInput? input;
        try
        {
            input = JsonSerializer.Deserialize<TInput>(body, json.Value.SerializerOptions);
        }
        catch (JsonException)
        {
            input = null;
        }
        if (input is null)
            return TypedResults.Problem(title: "请求格式错误", detail: "请求内容不是有效的JSON，或字段类型不正确", statusCode: StatusCodes.Status400BadRequest);

        var key = http.Request.Headers[IdempotencyStore.Header].ToString();
        var userId = await user.GetUserIdAsync() ?? "";
        if (key.Length > IdempotencyStore.MaxKeyLength)
            return ProblemResults.Invalid(IdempotencyStore.Header, $"Idempotency-Key 不能超过{IdempotencyStore.MaxKeyLength}个字符");
        if (key.Length > 0)
        {
            var requestHash = IdempotencyStore.Hash(requestScope.Length == 0 ? body : requestScope + "\n" + body);
            switch (await store.ClaimAsync(userId, operation, key, requestHash, ct))
            {
                case IdempotencyStore.Replay r:
                    if (r.Location is not null) http.Response.Headers.Location = r.Location;
                    return Results.Content(r.Body ?? "", r.StatusCode >= 400 ? "application/problem+json" : "application/json", statusCode: r.StatusCode);
                case IdempotencyStore.Mismatch:
                    return TypedResults.Problem(title: "幂等键已用于另一请求", detail: $"同一 Idempotency-Key 已用于内容不同的请求，{newKeyHint}",
                        statusCode: StatusCodes.Status422UnprocessableEntity);
                case IdempotencyStore.InProgress:
                    return ProblemResults.Conflict("使用同一 Idempotency-Key 的请求正在处理，请稍后重试");
            }
        }

        Outcome<TView> outcome;
        try
        {
            outcome = await work(input, ct);
        }
        catch
        {
            if (key.Length > 0) await store.ReleaseAsync(userId, operation, key);
            throw;
        }
        int status;
        string responseBody;
        string? where = null;
        var options = json.Value.SerializerOptions;
        if (outcome.Errors is { } e)
        {
            status = StatusCodes.Status400BadRequest;
            responseBody = JsonSerializer.Serialize(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(e.All.ToDictionary(x => x.Key, x => x.Value.ToArray()))
            {
                Status = status, Title = "提交的数据有误", Detail = "请按提示修改后重新提交",
            }, options);
        }
        else if (outcome.NotFound)
        {
            status = StatusCodes.Status404NotFound;
            responseBody = JsonSerializer.Serialize(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = status, Title = notFoundTitle, Detail = notFoundDetail,
            }, options);
        }
        else
        {
            status = successStatus;
            where = location?.Invoke(outcome.Value!);
            responseBody = JsonSerializer.Serialize(outcome.Value, options);
        }
        if (key.Length > 0) await store.CompleteAsync(userId, operation, key, status, responseBody, where);
        if (where is not null) http.Response.Headers.Location = where;
        return Results.Content(responseBody, status >= 400 ? "application/problem+json" : "application/json", statusCode: status);
    }
}

public sealed record OwnPaymentInput(int? Months, decimal? VoluntaryAmount);
