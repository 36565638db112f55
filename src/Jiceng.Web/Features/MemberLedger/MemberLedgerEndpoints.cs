using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jiceng.Web.Features.MemberLedger;

/// <summary>Excel ledgers (台账): import template, import, export.</summary>
public static class MemberLedgerEndpoints
{
    public static IEndpointRouteBuilder MapMemberLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/members").WithTags("党员台账");

        g.MapGet("/import-template", () => TypedResults.File(MemberImportService.Template(), XlsxPackage.ContentType, "党员信息导入模板.xlsx"))
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("下载党员信息导入模板（.xlsx，含填写说明）");

        g.MapPost("/import", (HttpContext http, MemberImportService svc, IAntiforgery antiforgery, CancellationToken ct) =>
                LedgerUpload.ReceiveAsync(http, antiforgery, stream => svc.ImportAsync(stream, ct), "党员导入错误清单.xlsx", ct))
            .RequireAuthorization(Policies.MemberWrite)
            .AsUpload()
            .WithSummary("从Excel导入党员（multipart字段file，.xlsx，≤10MB，≤100000行）")
            .WithDescription("全部行校验通过才导入，成功返回 {imported: N}。任何一行有误则不写入任何数据，返回400 problem+json："
                + "errorCount（错误总数）、errors（前100条：row行号、column列、message说明）、errorSheet（错误清单.xlsx的base64：行号、列、错误说明）。"
                + "文件不是.xlsx（按内容判断，不看扩展名）、压缩包异常（部件过多、解压后过大）返回400；超过10MB返回413。");

        g.MapGet("/export", async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> (
                string? q, Guid? orgId, MemberState? state, MemberStatus? status, string? phoneTail, int? ageFrom, int? ageTo,
                int? partyAgeFrom, int? partyAgeTo, bool? reveal, MemberExportService svc, CurrentUser user, CancellationToken ct) =>
            {
                var revealed = reveal == true;
                if (revealed && !await user.IsInAnyRoleAsync(Roles.ProtectedFieldRevealers))
                    return TypedResults.Problem(title: "无权导出完整信息", detail: "当前角色只能导出脱敏后的身份证号和手机号", statusCode: StatusCodes.Status403Forbidden);
                var outcome = await svc.StartAsync(new MemberQuery(q, orgId, state, status, phoneTail, ageFrom, ageTo, partyAgeFrom, partyAgeTo), revealed, ct);
                if (outcome.Errors is { } e) return e.ToProblem();
                if (outcome.NotFound) return ProblemResults.NotFound("党组织");
                var export = outcome.Value!;
                return TypedResults.Stream(body => svc.WriteAsync(export, body, ct), XlsxPackage.ContentType, export.FileName);
            })
            .RequireAuthorization(Policies.MemberRead)
            .WithSummary("导出党员名册（.xlsx，筛选条件同名册；reveal=true 导出完整身份证号和手机号，仅限可查看完整信息的角色；每次导出记入审计）");
        return app;
    }
}
