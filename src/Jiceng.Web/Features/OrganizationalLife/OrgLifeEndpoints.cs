using Jiceng.Domain.OrganizationalLife;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.OrganizationalLife;

/// <summary>组织生活 (activities, calendar, training hours, committee) and 民主评议党员 endpoints.</summary>
public static class OrgLifeEndpoints
{
    public static IEndpointRouteBuilder MapOrgLifeEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/activities").WithTags("组织生活").RequireAuthorization(Policies.MemberRead);
        g.MapPost("/", async Task<Results<Created<ActivityView>, ValidationProblem, ProblemHttpResult>> (ActivityInput input, ActivityService svc, CancellationToken ct) =>
        {
            var outcome = await svc.RecordAsync(input, ct);
            if (outcome.Errors is { } e) return e.ToProblem();
            if (outcome.NotFound) return ProblemResults.NotFound("党组织");
            return TypedResults.Created($"/api/v1/activities/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(Policies.MemberWrite).WithSummary("记录一次组织生活（三会一课、主题党日等），含到会、请假、缺席情况；附件不是必需的");
        g.MapGet("/", async Task<Results<Ok<PagedList<ActivitySummary>>, ValidationProblem, ProblemHttpResult>> (
                Guid? orgId, ActivityKind? kind, DateOnly? from, DateOnly? to, int? page, int? pageSize, ActivityService svc, CancellationToken ct) =>
                OrganizationEndpoints.ToResult(await svc.ListAsync(new ActivityQuery(orgId, kind, from, to, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct), "党组织"))
            .WithSummary("组织生活记录（本组织及下级，按日期倒序）");
        g.MapGet("/{id:guid}", async Task<Results<Ok<ActivityView>, ProblemHttpResult>> (Guid id, ActivityService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("活动记录"))
            .WithSummary("活动记录详情（含考勤，支委会显示是否达到半数）");
        g.MapGet("/{id:guid}/attachments", async Task<Results<Ok<List<ActivityAttachmentView>>, ProblemHttpResult>> (Guid id, ActivityAttachmentService svc, CancellationToken ct) =>
            await svc.ListAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("活动记录"))
            .WithSummary("活动附件列表（附件不是必需的）");
        g.MapPost("/{id:guid}/attachments", async Task<IResult> (Guid id, HttpRequest request, ActivityAttachmentService svc, CancellationToken ct) =>
            {
                static IResult TooLarge() => ProblemResults.Invalid("file", $"附件不能超过{ActivityAttachmentService.MaxBytes / 1024 / 1024}MB");
                if (!request.HasFormContentType) return ProblemResults.Invalid("file", "请以 multipart/form-data 上传文件（字段名 file）");
                IFormCollection form;
                try
                {
                    form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = ActivityAttachmentService.MaxBytes + 64 * 1024 }, ct);
                }
                catch (InvalidDataException)
                {
                    return TooLarge();
                }
                if (form.Files.GetFile("file") is not { } file) return ProblemResults.Invalid("file", "请选择要上传的文件");
                if (file.Length > ActivityAttachmentService.MaxBytes) return TooLarge();
                using var ms = new MemoryStream();
                await file.CopyToAsync(ms, ct);
                var outcome = await svc.UploadAsync(id, file.FileName, ms.ToArray(), ct);
                if (outcome.Errors is { } e) return e.ToProblem();
                if (outcome.NotFound) return ProblemResults.NotFound("活动记录");
                return TypedResults.Created($"/api/v1/activities/{id}/attachments/{outcome.Value!.Id}", outcome.Value);
            })
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("上传活动附件（可选；multipart 字段 file；JPEG/PNG/WebP/PDF，不超过5MB）");
        g.MapGet("/{id:guid}/attachments/{attachmentId:guid}", async Task<IResult> (Guid id, Guid attachmentId, ActivityAttachmentService svc, CancellationToken ct) =>
            await svc.DownloadAsync(id, attachmentId, ct) is { } f ? TypedResults.File(f.Content, f.ContentType, f.FileName) : ProblemResults.NotFound("活动附件"))
            .WithSummary("下载活动附件（记入审计）");

        var o = app.MapGroup("/api/v1/orgs/{id:guid}").WithTags("组织生活").RequireAuthorization(Policies.MemberRead);
        o.MapGet("/activity-calendar", async Task<Results<Ok<ActivityCalendarView>, ValidationProblem, ProblemHttpResult>> (Guid id, int? year, CalendarService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CalendarAsync(id, year, ct), "党组织"))
            .WithSummary("党支部（党小组）年度组织生活计划：各周期应开展、已完成、未开展");
        o.MapGet("/training-hours", async Task<Results<Ok<TrainingHoursView>, ValidationProblem, ProblemHttpResult>> (Guid id, int? year, CalendarService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.TrainingHoursAsync(id, year, ct), "党组织"))
            .WithSummary("党员年度学时（由参加的党课、主题党日计算；党员不少于32学时，书记和支委不少于56学时）");
        o.MapGet("/activity-roster", async Task<Results<Ok<List<RosterMember>>, ValidationProblem, ProblemHttpResult>> (Guid id, ActivityService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.RosterAsync(id, ct), "党组织"))
            .WithSummary("记录考勤时可选的本组织党员");
        o.MapGet("/committee", async Task<Results<Ok<List<CommitteeSeatView>>, ValidationProblem, ProblemHttpResult>> (Guid id, CalendarService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CommitteeAsync(id, ct), "党组织"))
            .WithSummary("支部委员会现任成员");
        o.MapPut("/committee", async Task<Results<Ok<List<CommitteeSeatView>>, ValidationProblem, ProblemHttpResult>> (Guid id, CommitteeInput input, CalendarService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.SetCommitteeAsync(id, input, ct), "党组织"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("登记支部委员会成员（自任职日期起，默认今天；不再列出的成员任职至前一天）");

        var a = app.MapGroup("/api/v1/appraisals").WithTags("民主评议党员").RequireAuthorization(Policies.MemberRead);
        a.MapPost("/", async Task<Results<Created<AppraisalView>, ValidationProblem, ProblemHttpResult>> (AppraisalRoundInput input, AppraisalService svc, CancellationToken ct) =>
        {
            var outcome = await svc.CreateAsync(input, ct);
            if (outcome.Errors is { } e) return e.ToProblem();
            if (outcome.NotFound) return ProblemResults.NotFound("党组织");
            return TypedResults.Created($"/api/v1/appraisals/{outcome.Value!.Id}", outcome.Value);
        }).RequireAuthorization(Policies.MemberWrite).WithSummary("建立党支部年度民主评议（参评名单为本支部在册党员）");
        a.MapGet("/", async Task<Results<Ok<List<AppraisalSummary>>, ValidationProblem, ProblemHttpResult>> (Guid? orgId, int? year, AppraisalService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.ListAsync(orgId, year, ct), "党组织"))
            .WithSummary("民主评议列表");
        a.MapGet("/{id:guid}", async Task<Results<Ok<AppraisalView>, ProblemHttpResult>> (Guid id, AppraisalService svc, CancellationToken ct) =>
            await svc.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : ProblemResults.NotFound("民主评议"))
            .WithSummary("民主评议详情");
        a.MapPut("/{id:guid}/grades", async Task<Results<Ok<AppraisalView>, ValidationProblem, ProblemHttpResult>> (Guid id, GradesInput input, AppraisalService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.GradeAsync(id, input, ct), "民主评议"))
            .RequireAuthorization(Policies.MemberWrite).WithSummary("评定等次（优秀不超过参评人数三分之一，向下取整；不合格须写明理由；submit=true 提交并对不合格党员建立后续处置记录）");
        a.MapPost("/follow-ups/{id:guid}/close", async Task<Results<Ok<AppraisalView>, ValidationProblem, ProblemHttpResult>> (Guid id, FollowUpCloseInput input, AppraisalService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.CloseFollowUpAsync(id, input, ct), "不合格党员处置记录"))
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("办结不合格党员的后续处置：outcome=Corrected（限期改正后合格）|AdvisedToLeave（劝其退党）|Removed（除名），决定日期和组织；劝退、除名须填写批准的上级党组织（党章第九条）");
        return app;
    }
}
