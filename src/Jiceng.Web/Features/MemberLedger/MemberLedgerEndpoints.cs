using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jiceng.Web.Features.MemberLedger;

/// <summary>Excel ledgers (台账): import template, import, export.</summary>
public static class MemberLedgerEndpoints
{
    /// <summary>The file plus the multipart envelope.</summary>
    private const long MaxRequestBytes = XlsxPackage.MaxFileBytes + 64 * 1024;

    /// <summary>How many errors the JSON answer lists; the error sheet has up to <see cref="MemberImportService.MaxListedErrors"/>.</summary>
    public const int ErrorsInAnswer = 100;

    public static IEndpointRouteBuilder MapMemberLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/members").WithTags("党员台账");

        g.MapGet("/import-template", () => TypedResults.File(MemberImportService.Template(), XlsxPackage.ContentType, "党员信息导入模板.xlsx"))
            .RequireAuthorization(Policies.MemberWrite)
            .WithSummary("下载党员信息导入模板（.xlsx，含填写说明）");

        g.MapPost("/import", (HttpContext http, MemberImportService svc, IAntiforgery antiforgery, CancellationToken ct) =>
                ReceiveAsync(http, antiforgery, stream => svc.ImportAsync(stream, ct), "党员导入错误清单.xlsx", ct))
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

    /// <summary>The upload limits of an import endpoint: request size, multipart length; antiforgery is checked in
    /// <see cref="ReceiveAsync"/> for cookie sessions only.</summary>
    public static RouteHandlerBuilder AsUpload(this RouteHandlerBuilder b) => b
        .DisableAntiforgery()
        .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
        .WithFormOptions(multipartBodyLengthLimit: MaxRequestBytes)
        .Accepts<IFormFile>("multipart/form-data");

    /// <summary>Receives the uploaded .xlsx (field file), runs the import and answers: 200 {imported}, the file's refusal,
    /// or 400 with the errors and the error sheet (nothing written).</summary>
    public static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> ReceiveAsync(HttpContext http, IAntiforgery antiforgery,
        Func<Stream, Task<ImportResult>> import, string errorSheetFileName, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxRequestBytes) return Refused(XlsxPackage.TooLarge);
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(title: "请上传文件", detail: "请以multipart/form-data格式上传，文件字段名为file", statusCode: 400);
        // Bearer clients carry no cookie and need no CSRF token; a cookie session must show the form's token.
        if (!http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await antiforgery.IsRequestValidAsync(http))
            return TypedResults.Problem(title: "页面已过期", detail: "请刷新页面后重新上传", statusCode: 400);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // The multipart reader's own limits (body length, headers).
            return Refused(XlsxPackage.TooLarge);
        }
        if (form.Files.GetFile("file") is not { } file)
            return TypedResults.Problem(title: "请选择要导入的文件", detail: "未收到文件，文件字段名应为file", statusCode: 400);
        if (file.Length > XlsxPackage.MaxFileBytes) return Refused(XlsxPackage.TooLarge);
        await using var stream = file.OpenReadStream();
        var result = await import(stream);
        if (result.Succeeded) return TypedResults.Ok(new ImportAnswer(result.Imported));
        if (result.Refusal is { } refusal) return Refused(refusal);
        return TypedResults.Problem(title: "导入数据有误，未导入任何记录",
            detail: $"共{result.ErrorCount}处错误，请按错误清单（errorSheet）改正后重新导入整个文件",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?>
            {
                ["errorCount"] = result.ErrorCount,
                ["errors"] = result.Errors.Take(ErrorsInAnswer).ToList(),
                ["errorSheetFileName"] = errorSheetFileName,
                ["errorSheet"] = Convert.ToBase64String(result.ErrorSheet!),
            });
    }

    private static ProblemHttpResult Refused(FileRefusal r) => TypedResults.Problem(title: r.Title, detail: r.Detail, statusCode: r.Status);
}

public sealed record ImportAnswer(int Imported);
