using Jiceng.Domain.Development;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.Development;

public static class DevelopmentEndpoints
{
    public static IEndpointRouteBuilder MapDevelopmentEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/development").WithTags("发展党员").RequireAuthorization(Policies.MemberRead);

        g.MapGet("/", async Task<Results<Ok<DevelopmentBoard>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, DevelopmentStage? stage, string? q, int? page, int? pageSize, DevelopmentStatus? status, DevelopmentService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(new DevelopmentQuery(orgId, stage, q, page ?? 1, pageSize ?? Paging.DefaultPageSize, status), ct), "党组织"))
            .WithSummary("发展党员看板：各阶段人数（申请人/积极分子/发展对象/预备党员）与记录列表（临近或逾期的在前）；status=Closed 列出已终止的记录，Completed 列出已转正归档的");

        g.MapPost("/", async Task<Results<Created<DevelopmentDetail>, ValidationProblem, ProblemHttpResult>> (
            ApplicationInput input, DevelopmentService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CreateAsync(input, ct);
            if (Refused(outcome) is { } problem) return problem;
            return TypedResults.Created($"/api/v1/development/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(Policies.MemberWrite).WithSummary("登记入党申请（第1步）");

        g.MapGet("/{id:guid}", async Task<Results<Ok<DevelopmentDetail>, ProblemHttpResult>> (Guid id, DevelopmentService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } d ? TypedResults.Ok(d) : ProblemResults.NotFound(DevelopmentService.Noun))
            .WithSummary("发展党员记录与25个步骤的时间线（已完成、待办及期限、逾期、尚不能办理）");

        g.MapPost("/{id:guid}/steps", async Task<Results<Ok<DevelopmentDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, StepInput input, DevelopmentService svc, CancellationToken ct) =>
        {
            var outcome = await svc.RecordStepAsync(id, input, ct);
            if (outcome.NotFound) return ProblemResults.NotFound(DevelopmentService.Noun);
            if (Refused(outcome) is { } problem) return problem;
            return TypedResults.Ok(outcome.Value!);
        }).RequireAuthorization(Policies.MemberWrite).WithSummary("办理一个步骤；不符合程序的答复400，并指明规则、版本和条款");

        g.MapPost("/{id:guid}/steps/{stepId:guid}/correction", async Task<Results<Ok<DevelopmentDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, Guid stepId, CorrectionInput input, DevelopmentService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CorrectStepAsync(id, stepId, input, ct);
            if (outcome.NotFound) return ProblemResults.NotFound(DevelopmentService.Noun);
            if (Refused(outcome) is { } problem) return problem;
            return TypedResults.Ok(outcome.Value!);
        }).RequireAuthorization(Policies.MemberWrite)
            .WithSummary("更正已记录的步骤（须填写原因）：原记录保留并标为已更正，整条记录重新检查，不通过的答复400");

        g.MapPost("/{id:guid}/closure", async Task<Results<Ok<DevelopmentDetail>, ValidationProblem, ProblemHttpResult>> (
            Guid id, ClosureInput input, DevelopmentService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CloseAsync(id, input, ct);
            if (outcome.NotFound) return ProblemResults.NotFound(DevelopmentService.Noun);
            if (Refused(outcome) is { } problem) return problem;
            return TypedResults.Ok(outcome.Value!);
        }).RequireAuthorization(Policies.MemberWrite)
            .WithSummary("终止发展程序：本人撤回申请（Withdrawal）、取消入党积极分子/发展对象资格（Termination）、取消预备党员资格（ProbationCancellation，须支部大会表决和上级批准）");

        g.MapGet("/{id:guid}/check", async Task<Results<Ok<RecordCheck>, ProblemHttpResult>> (Guid id, DevelopmentService svc, CancellationToken ct) =>
            await svc.CheckAsync(id, ct) is { } c ? TypedResults.Ok(c) : ProblemResults.NotFound(DevelopmentService.Noun))
            .WithSummary("程序检查：该记录违反的每条规则（版本、条款）");

        g.MapGet("/{id:guid}/people", async Task<Results<Ok<List<PersonOption>>, ProblemHttpResult>> (Guid id, string? q, DevelopmentService svc, CancellationToken ct) =>
            await svc.PersonOptionsAsync(id, q, ct) is { } p ? TypedResults.Ok(p) : ProblemResults.NotFound(DevelopmentService.Noun))
            .WithSummary("可选的培养联系人、入党介绍人（正式党员；默认本支部，q 按姓名在管理范围内查找）");

        app.MapGet("/api/v1/orgs/{id:guid}/development-check", async Task<Results<Ok<OrganizationCheck>, ProblemHttpResult>> (
            Guid id, DevelopmentService svc, CancellationToken ct) =>
            await svc.CheckOrganizationAsync(id, ct) is { } c ? TypedResults.Ok(c) : ProblemResults.NotFound("党组织"))
            .RequireAuthorization(Policies.MemberRead).WithTags("发展党员")
            .WithSummary("发展党员质量检查（二次体检）：本组织及下级全部记录的程序问题");
        return app;
    }

    /// <summary>Field errors as 400; a refused step also names the rules (code, version, article) in "rules".</summary>
    private static ValidationProblem? Refused(StepOutcome outcome)
    {
        if (outcome.Errors is not { } e) return null;
        var errors = e.All.ToDictionary(x => x.Key, x => x.Value.ToArray());
        if (outcome.Violations is not { Count: > 0 } rules) return ProblemResults.Invalid(errors);
        return TypedResults.ValidationProblem(errors, title: "不符合发展党员工作程序",
            detail: string.Join("；", rules.Select(r => r.Text)),
            extensions: new Dictionary<string, object?> { ["rules"] = rules });
    }
}
