using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.MemberCare;

/// <summary>流动党员, 双报到, 政治生日, 量化积分 and self-service endpoints.</summary>
public static class MemberCareEndpoints
{
    public static IEndpointRouteBuilder MapMemberCareEndpoints(this IEndpointRouteBuilder app)
    {
        MapMobile(app);
        MapDual(app);
        MapPoints(app);
        MapSelfService(app);
        app.MapGet("/api/v1/members/anniversaries", async Task<Results<Ok<AnniversaryList>, ValidationProblem, ProblemHttpResult>> (
                Guid? orgId, int? days, int? page, int? pageSize, AnniversaryService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.ListAsync(orgId, days, page ?? 1, pageSize ?? 100, ct), "党组织"))
            .RequireAuthorization(Policies.MemberRead).WithTags("政治生日").WithSummary("未来N天（不超过60天）的政治生日（入党纪念日）");
        return app;
    }

    private static Results<Created<T>, ValidationProblem, ProblemHttpResult> Created<T>(Outcome<T> outcome, Func<T, string> location, string what)
    {
        if (outcome.Errors is { } e) return e.ToProblem();
        if (outcome.NotFound) return ProblemResults.NotFound(what);
        return TypedResults.Created(location(outcome.Value!), outcome.Value);
    }

    private static void MapMobile(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/mobile-members").WithTags("流动党员").RequireAuthorization(Policies.MemberRead);
        g.MapGet("/", async Task<Results<Ok<PagedList<MobileMemberView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, bool? includeEnded, int? page, int? pageSize, MobileMemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(orgId, includeEnded ?? false, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("流动党员（最久未联系的在前）");
        g.MapGet("/{id:guid}", async Task<Results<Ok<MobileMemberView>, ProblemHttpResult>> (Guid id, MobileMemberService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("流动党员登记"))
            .WithSummary("流动党员登记详情");
        g.MapPost("/", async Task<Results<Created<MobileMemberView>, ValidationProblem, ProblemHttpResult>> (MobileRegistrationInput input, MobileMemberService svc, CancellationToken ct) =>
            Created(await svc.RegisterAsync(input, ct), v => $"/api/v1/mobile-members/{v.Id}", "流动党员登记"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("登记流动党员（党员状态改为“流动”）");
        g.MapPost("/{id:guid}/contacts", async Task<Results<Ok<MobileMemberView>, ValidationProblem, ProblemHttpResult>> (Guid id, ContactInput input, MobileMemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RecordContactAsync(id, input, ct), "流动党员登记"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("记录与流动党员的联系");
        g.MapPost("/{id:guid}/end", async Task<Results<Ok<MobileMemberView>, ValidationProblem, ProblemHttpResult>> (Guid id, EndInput input, MobileMemberService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.EndAsync(id, input, ct), "流动党员登记"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("结束流动（党员返回，状态恢复“正常”）");
    }

    private static void MapDual(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/dual-registrations").WithTags("双报到").RequireAuthorization(Policies.MemberRead);
        g.MapPost("/lookup", async Task<Results<Ok<MemberLookupResult>, ValidationProblem, ProblemHttpResult>> (MemberLookupInput input, DualRegistrationService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.LookupAsync(input, ct), "党员"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("按身份证号，或姓名和手机号查找前来报到的在职党员（记入审计）");
        g.MapGet("/", async Task<Results<Ok<PagedList<DualRegistrationView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, bool? includeEnded, int? page, int? pageSize, DualRegistrationService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(orgId, includeEnded ?? false, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("到社区报到的在职党员");
        g.MapGet("/{id:guid}", async Task<Results<Ok<DualRegistrationView>, ProblemHttpResult>> (Guid id, DualRegistrationService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("报到记录"))
            .WithSummary("报到记录详情");
        g.MapPost("/", async Task<Results<Created<DualRegistrationView>, ValidationProblem, ProblemHttpResult>> (DualRegistrationInput input, DualRegistrationService svc, CancellationToken ct) =>
            Created(await svc.RegisterAsync(input, ct), v => $"/api/v1/dual-registrations/{v.Id}", "报到记录"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("登记在职党员到社区报到");
        g.MapPost("/{id:guid}/end", async Task<Results<Ok<DualRegistrationView>, ValidationProblem, ProblemHttpResult>> (Guid id, EndInput input, DualRegistrationService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.EndAsync(id, input, ct), "报到记录"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("结束报到");

        var s = app.MapGroup("/api/v1/service-records").WithTags("双报到").RequireAuthorization(Policies.MemberRead);
        s.MapGet("/", async Task<Results<Ok<PagedList<ServiceRecordView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, Guid? memberId, int? page, int? pageSize, DualRegistrationService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListServicesAsync(orgId, memberId, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("在职党员在社区的服务记录");
        s.MapPost("/", async Task<Results<Created<ServiceRecordView>, ValidationProblem, ProblemHttpResult>> (ServiceRecordInput input, DualRegistrationService svc, CancellationToken ct) =>
            Created(await svc.AddServiceAsync(input, ct), v => $"/api/v1/service-records?memberId={v.MemberId}", "服务记录"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("记录服务（确认人为当前登录的工作人员）");

        var u = app.MapGroup("/api/v1/unit-registrations").WithTags("双报到").RequireAuthorization(Policies.MemberRead);
        u.MapGet("/", async Task<Results<Ok<PagedList<UnitRegistrationView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, int? page, int? pageSize, DualRegistrationService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListUnitsAsync(orgId, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("到社区报到的单位（联系电话为脱敏值）");
        u.MapPost("/", async Task<Results<Created<UnitRegistrationView>, ValidationProblem, ProblemHttpResult>> (UnitRegistrationInput input, DualRegistrationService svc, CancellationToken ct) =>
            Created(await svc.RegisterUnitAsync(input, ct), v => $"/api/v1/unit-registrations?orgId={v.CommunityId}", "单位报到"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("登记单位到社区报到");
        // In scope but not allowed → 403; out of scope → 404.
        u.MapPost("/{id:guid}/reveal", async Task<Results<Ok<RevealedPhone>, ProblemHttpResult>> (
            Guid id, DualRegistrationService svc, ProtectedFieldReveal reveal, CurrentUser user, CancellationToken ct) =>
        {
            if (!await user.IsInAnyRoleAsync(Roles.ProtectedFieldRevealers))
                return !await svc.UnitVisibleAsync(id, ct) ? ProblemResults.NotFound("单位报到")
                    : TypedResults.Problem(title: "无权查看完整信息", detail: "当前角色只能查看脱敏后的联系电话", statusCode: StatusCodes.Status403Forbidden);
            return await svc.RevealUnitPhoneAsync(id, reveal, ct) is { } phone ? TypedResults.Ok(new RevealedPhone(phone)) : ProblemResults.NotFound("单位报到");
        }).WithSummary("查看单位完整联系电话（记入审计）");
    }

    private static void MapPoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/points").WithTags("量化积分").RequireAuthorization(Policies.MemberRead);
        g.MapGet("/items", async Task<Results<Ok<List<PointItemView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, bool? includeInactive, PointService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ItemsAsync(orgId, includeInactive ?? false, ct), "党组织"))
            .WithSummary("积分项目（本组织及上级设置的，以及下级设置的）");
        g.MapPost("/items", async Task<Results<Created<PointItemView>, ValidationProblem, ProblemHttpResult>> (PointItemInput input, PointService svc, CancellationToken ct) =>
            Created(await svc.CreateItemAsync(input, ct), v => $"/api/v1/points/items?orgId={v.OrganizationId}", "积分项目"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("设置积分项目（不得以登录、在线时长、点赞、转发、学习时长等计分）");
        g.MapPost("/items/{id:guid}/deactivate", async Task<Results<Ok<PointItemView>, ValidationProblem, ProblemHttpResult>> (Guid id, PointService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.DeactivateItemAsync(id, ct), "积分项目"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("停用积分项目");
        g.MapGet("/records", async Task<Results<Ok<PagedList<PointRecordView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, Guid? memberId, int? year, int? page, int? pageSize, PointService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RecordsAsync(orgId, memberId, year, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("积分记录");
        g.MapPost("/records", async Task<Results<Created<PointRecordView>, ValidationProblem, ProblemHttpResult>> (PointRecordInput input, PointService svc, CancellationToken ct) =>
            Created(await svc.RecordAsync(input, ct), v => $"/api/v1/points/records?memberId={v.MemberId}", "积分记录"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("记积分（须有佐证说明，确认人为当前登录的工作人员）");
        g.MapGet("/totals", async Task<Results<Ok<PagedList<PointTotal>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, int? year, int? page, int? pageSize, PointService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.TotalsAsync(orgId, year, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("年度积分合计（按姓名排序，不排名）");
    }

    private static void MapSelfService(IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").WithTags("党员自助").RequireAuthorization(p => p.RequireRole(Roles.Member));
        me.MapGet("/member", async Task<Results<Ok<MyRecord>, ProblemHttpResult>> (SelfService svc, CancellationToken ct) =>
            await svc.MeAsync(ct) is { } r ? TypedResults.Ok(r) : ProblemResults.NotFound("本人党员档案"))
            .WithSummary("本人党员信息（身份证号、手机号为脱敏值）");
        me.MapPost("/corrections", async Task<Results<Created<MyCorrection>, ValidationProblem, ProblemHttpResult>> (CorrectionInput input, SelfService svc, CancellationToken ct) =>
            Created(await svc.RequestCorrectionAsync(input, ct), _ => "/api/v1/me/member", "本人党员档案"))
            .WithSummary("申请更正本人信息（由所在党支部处理）");

        var c = app.MapGroup("/api/v1/corrections").WithTags("党员自助").RequireAuthorization(Policies.MemberWrite);
        c.MapGet("/", async Task<Results<Ok<PagedList<CorrectionView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, CorrectionStatus? status, int? page, int? pageSize, SelfService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(orgId, status, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct), "党组织"))
            .WithSummary("党员提交的信息更正申请");
        c.MapPost("/{id:guid}/resolve", async Task<Results<Ok<CorrectionView>, ValidationProblem, ProblemHttpResult>> (Guid id, ResolveInput input, SelfService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ResolveAsync(id, input, ct), "更正申请"))
            .WithSummary("处理更正申请并答复");
    }
}

public sealed record RevealedPhone(string ContactPhone);
