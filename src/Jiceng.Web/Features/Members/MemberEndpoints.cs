using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Members;

public static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/members").WithTags("党员").RequireAuthorization(Policies.MemberRead);

        g.MapGet("/", async Task<Results<Ok<PagedList<MemberSummary>>, ValidationProblem, ProblemHttpResult>> (
            string? q, Guid? orgId, MemberState? state, MemberStatus? status, string? phoneTail, int? ageFrom, int? ageTo, int? partyAgeFrom, int? partyAgeTo,
            int? page, int? pageSize, MemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(new MemberQuery(q, orgId, state, status, phoneTail, ageFrom, ageTo, partyAgeFrom, partyAgeTo,
                page ?? 1, pageSize ?? Paging.DefaultPageSize), ct), "党组织"))
            .WithSummary("党员名册（q 匹配姓名或拼音首字母）");

        g.MapGet("/{id:guid}", async Task<Results<Ok<MemberDetail>, ProblemHttpResult>> (Guid id, MemberService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } m ? TypedResults.Ok(m) : ProblemResults.NotFound("党员"))
            .WithSummary("党员详情（身份证号、手机号为脱敏值）");

        g.MapGet("/{id:guid}/timeline", async Task<Results<Ok<PagedList<MemberTimelineEvent>>, ValidationProblem, ProblemHttpResult>> (
                Guid id, int? page, int? pageSize, MemberTimelineService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.GetAsync(id, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党员"))
            .WithSummary("党员的时间线：入党、转正、组织关系转接的每一步、流动、双报到、民主评议及处置、党费基数和交纳、组织生活出勤（按年）、发展党员步骤")
            .WithDescription("由已有记录生成，最新的在前，分页；每类记录最多取最近500条，超出时 totalIsLowerBound 为 true。只显示在您管理范围内的记录。");

        g.MapPost("/", async Task<Results<Created<MemberDetail>, ValidationProblem, ProblemHttpResult>> (MemberInput input, MemberService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CreateAsync(input, ct);
            if (outcome.Errors is { } e) return e.ToProblem();
            if (outcome.NotFound) return ProblemResults.NotFound("党员");
            return TypedResults.Created($"/api/v1/members/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(Policies.MemberWrite).WithSummary("登记党员");

        g.MapPut("/{id:guid}", async Task<Results<Ok<MemberDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, MemberInput input, MemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.UpdateAsync(id, input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("修改党员信息");

        g.MapPost("/{id:guid}/suspend", async Task<Results<Ok<MemberDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, SuspensionInput input, MemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.SuspendAsync(id, input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("停止党籍（与党组织失去联系超过6个月，记入审计）；或为未登记日期的停止党籍党员补录停止党籍日期")
            .WithDescription("body: lostContactSince（最近一次联系的日期）, decidedOn（决定日期，不晚于今天）, reason（理由，不超过500字）。" +
                "只适用于在册党员；决定日期须在最近一次联系满6个月之后（满6个月当天不可）。流动党员登记或恢复党籍的决定记有更晚的联系时不予办理。" +
                "已停止党籍但未登记日期的，decidedOn 为补录的停止党籍日期，lostContactSince 和 reason 可不填。");

        g.MapPost("/{id:guid}/restore", async Task<Results<Ok<MemberDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, SuspensionDecisionInput input, MemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RestoreAsync(id, input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("恢复党籍（停止党籍的党员经党组织审查后恢复，记入审计）")
            .WithDescription("body: decidedOn（决定日期）, review（审查意见）。只适用于停止党籍的党员；恢复后状态为正常。");

        g.MapPost("/{id:guid}/removal", async Task<Results<Ok<MemberDetail>, ValidationProblem, ProblemHttpResult>> (Guid id, SuspensionDecisionInput input, MemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RemoveAsync(id, input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("除名（停止党籍满2年仍无法取得联系，或经审查不宜恢复党籍，记入审计）")
            .WithDescription("body: decidedOn（决定日期）, review（除名的决定和理由）。只适用于停止党籍的人员；除名后状态为出党。");

        // In scope but not allowed → 403; out of scope → 404 (the member does not exist for the caller).
        g.MapPost("/{id:guid}/reveal", async Task<Results<Ok<RevealedMember>, ProblemHttpResult>> (Guid id, MemberService svc, CurrentUser user, CancellationToken ct) =>
        {
            if (!await user.IsInAnyRoleAsync(Roles.ProtectedFieldRevealers))
                return await svc.GetAsync(id, ct) is null ? ProblemResults.NotFound("党员")
                    : TypedResults.Problem(title: "无权查看完整信息", detail: "当前角色只能查看脱敏后的身份证号和手机号", statusCode: StatusCodes.Status403Forbidden);
            return await svc.RevealAsync(id, ct) is { } r ? TypedResults.Ok(r) : ProblemResults.NotFound("党员");
        }).WithSummary("查看完整身份证号和手机号（记入审计）");
        return app;
    }
}
