using System.Threading.RateLimiting;
using Jiceng.Domain.Cases;
using Jiceng.Web.Features.Grids;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Jiceng.Web.Features.Cases;

public static class CaseEndpoints
{
    public const string PublicRateLimit = "public-cases";

    /// <summary>Services of cases and grids, and the per-address rate limit of the public endpoints
    /// (Jiceng:PublicRateLimitPerMinute, default 60 requests a minute per client address).</summary>
    public static IServiceCollection AddCases(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<CaseService>();
        services.AddScoped<PublicCaseService>();
        services.AddScoped<GridService>();
        services.AddScoped<HouseholdLedgerService>();
        services.AddScoped<HouseholdImportService>();
        services.AddScoped<HouseholdExportService>();
        services.AddScoped<Alerts.IAlertRuleSet, CaseAlertRules>();
        services.AddScoped<Alerts.IAlertRuleSet, GridAlertRules>();
        services.AddScoped<CaseEscalationService>();
        if (config.GetValue("Jiceng:BackgroundJobs", true))
        {
            services.AddHostedService<CaseEscalationJob>();
            services.AddHostedService<CaseCountCompactionJob>();
        }
        var permits = config.GetValue("Jiceng:PublicRateLimitPerMinute", 60);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, ct) => new ValueTask(ProblemResults.WriteAsync(ctx.HttpContext, 429, "请求过于频繁", "同一网络提交过于频繁，请稍后再试"));
            o.AddPolicy(PublicRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    private static IResult Problem422(FieldErrors e) => TypedResults.Problem(new HttpValidationProblemDetails(e.All.ToDictionary(x => x.Key, x => x.Value.ToArray()))
    {
        Status = StatusCodes.Status422UnprocessableEntity, Title = "请求与先前提交不一致", Detail = "同一个 Idempotency-Key 只能用于同一份提交",
    });

    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        // ---------------------------------------------------------------- public: no account
        var pub = app.MapGroup("/api/v1/public").WithTags("居民端（无需登录）").AllowAnonymous().RequireRateLimiting(PublicRateLimit).DisableAntiforgery();

        pub.MapPost("/cases", async Task<IResult> (HttpRequest request, PublicCaseService svc, CancellationToken ct) =>
        {
            PublicCaseInput input;
            PhotoUpload? photo = null;
            if (request.HasFormContentType)
            {
                IFormCollection form;
                try
                {
                    form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = PublicCaseService.MaxPhotoBytes + 64 * 1024 }, ct);
                }
                catch (InvalidDataException)
                {
                    return TooLarge();
                }
                input = new PublicCaseInput
                {
                    GridId = Guid.TryParse(form["gridId"], out var g) ? g : null, CategoryId = Guid.TryParse(form["categoryId"], out var c) ? c : null,
                    Description = form["description"], Place = form["place"], Phone = form["phone"], Name = form["name"],
                };
                if (form.Files.GetFile("photo") is { Length: > 0 } file)
                {
                    if (file.Length > PublicCaseService.MaxPhotoBytes) return TooLarge();
                    using var ms = new MemoryStream();
                    await file.CopyToAsync(ms, ct);
                    photo = new PhotoUpload(file.ContentType, ms.ToArray());
                }
            }
            else
            {
                try
                {
                    input = await request.ReadFromJsonAsync<PublicCaseInput>(ct) ?? new PublicCaseInput();
                }
                catch (System.Text.Json.JsonException)
                {
                    return TypedResults.Problem(title: "请求格式错误", detail: "请求内容不是有效的JSON，或字段类型不正确", statusCode: 400);
                }
            }
            var key = request.Headers["Idempotency-Key"].FirstOrDefault();
            var outcome = await svc.SubmitAsync(input, photo, key, request.HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
            return outcome.Status switch
            {
                SubmitStatus.Created or SubmitStatus.Replayed => TypedResults.Created($"/api/v1/public/cases/{outcome.Value!.TrackingCode}", outcome.Value),
                SubmitStatus.KeyReused => Problem422(outcome.Errors!),
                SubmitStatus.InFlight => ProblemResults.Conflict("同一提交正在处理中，请稍候查看结果，不要重复提交"),
                _ => outcome.Errors!.ToProblem(),
            };
        }).Accepts<PublicCaseInput>("application/json", "multipart/form-data").Produces<SubmittedCase>(201)
            .WithSummary("居民提交诉求（JSON，或 multipart 带照片；请求头 Idempotency-Key 防重复提交）");

        pub.MapGet("/cases/{code}", async Task<Results<Ok<PublicCaseView>, ProblemHttpResult>> (string code, PublicCaseService svc, CancellationToken ct) =>
            await svc.GetAsync(code, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("诉求"))
            .WithSummary("凭查询码查看办理进度");

        pub.MapPost("/cases/{code}/confirm", (string code, PublicCaseService svc, HttpContext http, CancellationToken ct) =>
            Resident(svc.ActAsync(code, CaseAction.Confirm, null, null, http.Connection.RemoteIpAddress?.ToString(), ct))).WithSummary("居民确认已解决");
        pub.MapPost("/cases/{code}/reopen", (string code, ResidentTextInput input, PublicCaseService svc, HttpContext http, CancellationToken ct) =>
            Resident(svc.ActAsync(code, CaseAction.Reopen, input.Text, null, http.Connection.RemoteIpAddress?.ToString(), ct))).WithSummary("居民申请重新办理（须说明理由）");
        pub.MapPost("/cases/{code}/rating", (string code, RatingInput input, PublicCaseService svc, HttpContext http, CancellationToken ct) =>
            Resident(svc.ActAsync(code, CaseAction.Rate, input.Text, input.Rating, http.Connection.RemoteIpAddress?.ToString(), ct))).WithSummary("满意度评价（1-5）");
        pub.MapPost("/cases/{code}/comments", (string code, ResidentTextInput input, PublicCaseService svc, HttpContext http, CancellationToken ct) =>
            Resident(svc.ActAsync(code, CaseAction.Comment, input.Text, null, http.Connection.RemoteIpAddress?.ToString(), ct))).WithSummary("补充说明");

        pub.MapGet("/categories", async (CaseService svc, CancellationToken ct) => TypedResults.Ok(await svc.CategoriesAsync(ct))).WithSummary("诉求类别");
        pub.MapGet("/grids/{id:guid}", async Task<Results<Ok<PublicGridView>, ProblemHttpResult>> (Guid id, HouseholdLedgerService svc, CancellationToken ct) =>
            await svc.PublicGridAsync(id, ct) is { } g ? TypedResults.Ok(g) : ProblemResults.NotFound("网格")).WithSummary("二维码对应的网格名称");

        // ---------------------------------------------------------------- staff and departments
        var staff = app.MapGroup("/api/v1").WithTags("群众诉求").RequireAuthorization(p => p.RequireRole(CaseRoles.Readers));

        staff.MapGet("/cases", async Task<Results<Ok<PagedList<CaseSummary>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, CaseStatus? status, Guid? category, DateOnly? from, DateOnly? to, int? page, int? pageSize, CaseService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(new CaseQuery(orgId, status, category, from, to, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct), "组织"))
            .WithSummary("诉求列表（部门处置人员只看到吹哨给本部门的）")
            .WithDescription("最新的在前，分页。total 精确到10000件，超过时 totalIsLowerBound 为 true（界面显示“10000+”）；精确的件数和比率见 case-rates。");

        staff.MapGet("/cases/{id:guid}", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (Guid id, CaseService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } c ? TypedResults.Ok(c) : ProblemResults.NotFound("诉求")).WithSummary("诉求详情与办理记录");

        staff.MapGet("/cases/{id:guid}/photo", async Task<IResult> (Guid id, PublicCaseService svc, CancellationToken ct) =>
            await svc.PhotoAsync(id, ct) is { } p ? TypedResults.File(p.Content, p.ContentType) : ProblemResults.NotFound("照片")).WithSummary("诉求照片");

        staff.MapPost("/cases", async Task<Results<Created<CaseDetail>, ValidationProblem, ProblemHttpResult>> (StaffCaseInput input, CaseService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CreateAsync(input, ct);
            if (outcome.Errors is { } e) return e.ToProblem();
            if (outcome.NotFound) return ProblemResults.NotFound("网格或组织");
            return TypedResults.Created($"/api/v1/cases/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(p => p.RequireRole(CaseRoles.Handlers)).WithSummary("登记诉求（热线、网格员巡查或走访）");

        staff.MapPost("/cases/{id:guid}/transitions", async Task<IResult> (Guid id, TransitionInput input, CaseService svc, CancellationToken ct) =>
        {
            var o = await svc.TransitionAsync(id, input, ct);
            if (o.Errors is { } e) return e.ToProblem();
            if (o.NotFound) return ProblemResults.NotFound("诉求");
            if (o.Forbidden is { } f) return TypedResults.Problem(title: "无权执行该操作", detail: f, statusCode: 403);
            if (o.Conflict is { } current)
                return TypedResults.Problem(title: "诉求已被他人处理", detail: $"该诉求已更新为第{current.Version}版（{current.StatusName}），请按最新状态重新操作",
                    statusCode: 409, extensions: new Dictionary<string, object?> { ["current"] = current });
            return TypedResults.Ok(o.Value);
        }).WithSummary("办理操作：accept | handle | whistle | department-accept | report | close | reject | transfer | follow-up | comment（带 version）");

        staff.MapGet("/orgs/{id:guid}/case-rates", async Task<Results<Ok<CaseRatesView>, ValidationProblem, ProblemHttpResult>> (
            Guid id, DateOnly? from, DateOnly? to, CaseService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RatesAsync(id, from, to, ct), "组织"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.Handlers)).WithSummary("响应率、办结率、解决率、满意率、重办率、平均办结时长（按受理日期统计）");

        staff.MapGet("/case-categories", async (bool? all, CaseService svc, CancellationToken ct) => TypedResults.Ok(await svc.CategoriesAsync(ct, all == true)))
            .WithSummary("诉求类别及时限（all=true 含已停用的）");

        staff.MapPost("/case-categories", async Task<Results<Created<CategoryView>, ValidationProblem, ProblemHttpResult>> (CategoryInput input, CaseService svc, CancellationToken ct) =>
        {
            var o = await svc.CreateCategoryAsync(input, ct);
            if (o.Errors is { } e) return e.ToProblem();
            if (o.Value is not { } v) return ProblemResults.NotFound("诉求类别");
            return TypedResults.Created($"/api/v1/case-categories/{v.Id}", v);
        }).RequireAuthorization(p => p.RequireRole(CaseRoles.CategoryEditors))
            .WithSummary("新增诉求类别（name 名称、responseHours、resolutionDays；立即可供居民和工作人员选择；记入审计）");

        staff.MapPut("/case-categories/{id:guid}", async Task<Results<Ok<CategoryView>, ValidationProblem, ProblemHttpResult>> (Guid id, CategoryInput input, CaseService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.UpdateCategoryAsync(id, input, ct), "诉求类别"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.CategoryEditors))
            .WithSummary("修改诉求类别（responseHours 响应小时数、resolutionDays 办理天数：正整数，响应不晚于办理；可选 name 改名、active=false 停用 / true 启用；记入审计）");

        staff.MapGet("/departments", async Task<Results<Ok<List<DepartmentView>>, ValidationProblem, ProblemHttpResult>> (Guid? orgId, CaseService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.DepartmentsAsync(orgId, ct), "组织")).WithSummary("可吹哨的部门（orgId：诉求所在组织）");
        staff.MapPost("/departments", async Task<Results<Ok<DepartmentView>, ValidationProblem, ProblemHttpResult>> (DepartmentInput input, CaseService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CreateDepartmentAsync(input.OrganizationId, input.Name, ct), "组织"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("新建部门（街道或区）");
        staff.MapPost("/departments/{id:guid}/handlers", async Task<Results<Ok<DepartmentView>, ValidationProblem, ProblemHttpResult>> (Guid id, DepartmentHandlerInput input, CaseService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.AddHandlerAsync(id, input.UserName, ct), "部门"))
            .RequireAuthorization(p => p.RequireRole(CaseRoles.LedgerEditors)).WithSummary("把部门处置人员账户加入部门");

        return app;
    }

    private static async Task<IResult> Resident(Task<ResidentOutcome> task)
    {
        var o = await task;
        if (o.NotFound) return ProblemResults.NotFound("诉求");
        if (o.Conflict) return ProblemResults.Conflict("诉求刚刚被更新，请刷新后重试");
        if (o.Errors is { } e) return e.ToProblem();
        return TypedResults.Ok(o.Value);
    }

    private static IResult TooLarge() => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        { ["photo"] = [$"照片不能超过{PublicCaseService.MaxPhotoBytes / 1024 / 1024}MB"] })
    { Status = StatusCodes.Status413PayloadTooLarge, Title = "照片过大", Detail = "请压缩后重新提交，或不附照片" });
}

public sealed class DepartmentInput
{
    public Guid? OrganizationId { get; set; }
    public string? Name { get; set; }
}

public sealed class DepartmentHandlerInput
{
    public string? UserName { get; set; }
}

public sealed record PublicGridView(Guid Id, string Name, string CommunityName);
